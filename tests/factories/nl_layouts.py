"""Dutch and Belgian invoice layouts small businesses really send, drawn with reportlab, each with its truth record."""

from __future__ import annotations

import io
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

_CENT = Decimal("0.01")
_MONTHS = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"]
_WIDTH, _HEIGHT = A4
_LEFT, _RIGHT = 20 * mm, _WIDTH - 20 * mm


@dataclass
class Facts:
    """What one generated invoice states; the truth record is derived from it."""

    number: str
    issue: date
    due: date | None
    terms: int | None
    lines: list[tuple[str, int, Decimal]]
    vat_rate: Decimal
    seller: tuple[str, str, str, str]          # name, street, postcode + city, e-mail
    buyer: tuple[str, str, str]                # name, street, postcode + city
    buyer_email: str | None
    buyer_general: str | None
    credit: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def excl(self) -> Decimal:
        return sum((q * p for _, q, p in self.lines), Decimal("0")).quantize(_CENT)

    @property
    def vat(self) -> Decimal:
        return (self.excl * self.vat_rate).quantize(_CENT, rounding=ROUND_HALF_UP)

    @property
    def total(self) -> Decimal:
        return self.excl + self.vat

    @property
    def sign(self) -> Decimal:
        return Decimal(-1) if self.credit else Decimal(1)

    def truth(self) -> dict:
        """The truth record in the corpus format (README of the invoice corpus)."""
        due = self.due or (self.issue + timedelta(days=self.terms) if self.terms is not None else None)
        return {"invoice_number": self.number, "issue_date": self.issue.isoformat(),
                "due_date": due.isoformat() if due else None, "currency": "EUR",
                "amount_due": f"{self.sign * self.total:.2f}", "payment_terms_days": self.terms,
                "buyer_email": self.buyer_email or self.buyer_general, "seller_name": self.seller[0],
                "language": "nl", "source_format": "pdf"}


def money(value: Decimal, symbol: str = "€ ", suffix: str = "") -> str:
    """Dutch money: `€ 1.234,56`, `1.234,56` (symbol ""), `1.234,56 EUR` (suffix " EUR"), `€ -12,10`."""
    sign = "-" if value < 0 else ""
    whole, frac = f"{abs(value):.2f}".split(".")
    return f"{symbol}{sign}{int(whole):,}".replace(",", ".") + f",{frac}{suffix}"


def written(value: date) -> str:
    """`12 maart 2026`."""
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def _pdf(draw: Callable[[canvas.Canvas], None], title: str) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setTitle(title)
    draw(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _text(pdf: canvas.Canvas, x: float, y: float, text: str, size: float = 9, bold: bool = False,
          right: bool = False) -> None:
    pdf.setFont("Helvetica-Bold" if bold else "Helvetica", size)
    (pdf.drawRightString if right else pdf.drawString)(x, y, text)


def _items(pdf: canvas.Canvas, facts: Facts, y: float, fmt: Callable[[Decimal], str]) -> float:
    heads = [(_LEFT, "Omschrijving", False), (120 * mm, "Aantal", True), (150 * mm, "Prijs", True),
             (_RIGHT, "Bedrag", True)]
    for x, head, right in heads:
        _text(pdf, x, y, head, bold=True, right=right)
    pdf.line(_LEFT, y - 2 * mm, _RIGHT, y - 2 * mm)
    for description, qty, price in facts.lines:
        y -= 6 * mm
        _text(pdf, _LEFT, y, description)
        _text(pdf, 120 * mm, y, str(qty), right=True)
        _text(pdf, 150 * mm, y, fmt(facts.sign * price), right=True)
        _text(pdf, _RIGHT, y, fmt(facts.sign * price * qty), right=True)
    return y - 10 * mm


def _letterhead_right(pdf: canvas.Canvas, facts: Facts, ids: list[str]) -> None:
    name, street, city, email = facts.seller
    _text(pdf, _LEFT, _HEIGHT - 25 * mm, name, 15, bold=True)
    y = _HEIGHT - 25 * mm
    for line in [street, city, email, *ids]:
        _text(pdf, _RIGHT, y, line, 8, right=True)
        y -= 4 * mm


def _buyer_lines(facts: Facts) -> list[str]:
    lines = list(facts.buyer)
    if facts.buyer_email:
        lines.append(f"T.a.v. de administratie: {facts.buyer_email}")
    if facts.buyer_general:
        lines.append(facts.buyer_general)
    return lines


def accounting_package(facts: Facts) -> bytes:
    """Exact/Moneybird/e-Boekhouden style: letterhead, address window left, meta table right, totals bottom right."""
    def draw(pdf: canvas.Canvas) -> None:
        _letterhead_right(pdf, facts, ["KvK 12345678", "Btw NL000099998B57", "IBAN NL91 ABNA 0417 1643 00"])
        y = _HEIGHT - 60 * mm
        for line in _buyer_lines(facts):
            _text(pdf, _LEFT, y, line)
            y -= 4.5 * mm
        _text(pdf, _LEFT, _HEIGHT - 95 * mm, "Factuur", 18, bold=True)
        meta = [("Factuurnummer", facts.number), ("Factuurdatum", facts.issue.strftime("%d-%m-%Y")),
                ("Klantnummer", facts.extra["customer"])]
        if facts.due:
            meta.insert(2, ("Vervaldatum", facts.due.strftime("%d-%m-%Y")))
        y = _HEIGHT - 60 * mm
        for label, value in meta:
            _text(pdf, 115 * mm, y, label, bold=True)
            _text(pdf, _RIGHT, y, value, right=True)
            y -= 5 * mm
        y = _items(pdf, facts, _HEIGHT - 110 * mm, money)
        for label, value in (("Subtotaal", facts.excl), (f"Btw {facts.vat_rate * 100:.0f}%", facts.vat),
                             ("Totaal", facts.total)):
            _text(pdf, 120 * mm, y, label, bold=label == "Totaal")
            _text(pdf, _RIGHT, y, money(value), right=True, bold=label == "Totaal")
            y -= 5 * mm
        if facts.terms is not None:
            _text(pdf, _LEFT, y - 15 * mm, f"Wij verzoeken u vriendelijk het totaalbedrag binnen {facts.terms} dagen "
                                            "over te maken onder vermelding van het factuurnummer.", 8)
    return _pdf(draw, f"Factuur {facts.number}")


def word_letter(facts: Facts) -> bytes:
    """A Word export: a letter with the meta in sentences ("Factuurnummer: ...", "Datum: 12 maart 2026")."""
    def draw(pdf: canvas.Canvas) -> None:
        name, street, city, email = facts.seller
        _text(pdf, _WIDTH / 2 - 40 * mm, _HEIGHT - 20 * mm, name, 14, bold=True)
        _text(pdf, _WIDTH / 2 - 40 * mm, _HEIGHT - 26 * mm, f"{street} | {city} | {email}", 8)
        y = _HEIGHT - 50 * mm
        for line in _buyer_lines(facts):
            _text(pdf, _LEFT, y, line, 10)
            y -= 5 * mm
        y -= 10 * mm
        sentences = [f"{facts.seller[2].split()[-1]}, {written(facts.issue)}", "",
                     f"Factuurnummer: {facts.number}", f"Datum: {written(facts.issue)}",
                     "Betreft: werkzaamheden", "", "Geachte heer, mevrouw,", "",
                     "Hierbij ontvangt u de factuur voor de werkzaamheden die wij voor u hebben uitgevoerd:"]
        for line in sentences:
            _text(pdf, _LEFT, y, line, 10)
            y -= 5.5 * mm
        for description, qty, price in facts.lines:
            _text(pdf, _LEFT + 5 * mm, y, f"- {qty} x {description}", 10)
            _text(pdf, 150 * mm, y, money(price * qty), 10, right=True)
            y -= 5.5 * mm
        y -= 3 * mm
        for label, value in (("Totaal excl. btw", facts.excl), (f"Btw {facts.vat_rate * 100:.0f}%", facts.vat),
                             ("Totaal incl. btw", facts.total)):
            _text(pdf, _LEFT, y, f"{label}: {money(value)}", 10, bold="incl" in label)
            y -= 5.5 * mm
        y -= 5 * mm
        if facts.due:
            ask = f"Ik verzoek u het bedrag uiterlijk {written(facts.due)} over te maken op NL91 ABNA 0417 1643 00."
        else:
            ask = (f"Ik verzoek u het bedrag binnen {facts.terms} dagen na factuurdatum over te maken op "
                   "NL91 ABNA 0417 1643 00.")
        for line in (ask, "", "Met vriendelijke groet,", "", facts.seller[0], "KvK 87654321 - btw-id NL000099998B57"):
            _text(pdf, _LEFT, y, line, 10)
            y -= 5.5 * mm
    return _pdf(draw, f"Factuur {facts.number}")


def spreadsheet(facts: Facts) -> bytes:
    """A spreadsheet export: a grid of cells, column headers over values, amounts without €."""
    def draw(pdf: canvas.Canvas) -> None:
        widths = [45 * mm, 35 * mm, 35 * mm, 55 * mm]

        def row(y: float, cells: list[str], bold: bool = False, right_from: int = 99) -> None:
            x = _LEFT
            for index, (cell, width) in enumerate(zip(cells, widths, strict=False)):
                pdf.rect(x, y - 1.8 * mm, width, 6 * mm)
                if index >= right_from:
                    _text(pdf, x + width - 1.5 * mm, y, cell, 8, bold, right=True)
                else:
                    _text(pdf, x + 1.5 * mm, y, cell, 8, bold)
                x += width

        y = _HEIGHT - 20 * mm
        row(y, [facts.seller[0], facts.seller[1], facts.seller[2], facts.seller[3]], bold=True)
        y -= 12 * mm
        row(y, ["FACTUUR", "", "", "Bedragen in EUR"], bold=True)
        y -= 6 * mm
        row(y, ["Factuurnr", "Factuurdatum", "Vervaldatum", "Klant"], bold=True)
        y -= 6 * mm
        due = facts.due or facts.issue + timedelta(days=facts.terms or 0)
        row(y, [facts.number, facts.issue.strftime("%d-%m-%Y"), due.strftime("%d-%m-%Y"), facts.buyer[0]])
        y -= 6 * mm
        row(y, ["", "", "", facts.buyer[1]])
        y -= 6 * mm
        row(y, ["", "", "", facts.buyer[2]])
        if facts.buyer_email or facts.buyer_general:
            y -= 6 * mm
            row(y, ["", "", "", facts.buyer_email or facts.buyer_general or ""])
        y -= 12 * mm
        row(y, ["Omschrijving", "Aantal", "Prijs", "Bedrag"], bold=True, right_from=1)
        for description, qty, price in facts.lines:
            y -= 6 * mm
            row(y, [description, str(qty), money(price, ""), money(price * qty, "")], right_from=1)
        y -= 10 * mm
        for label, value in (("Totaal excl. btw", facts.excl), (f"Btw {facts.vat_rate * 100:.0f}%", facts.vat),
                             ("Totaal", facts.total)):
            row(y, ["", "", label, money(value, "")], bold=label == "Totaal", right_from=3)
            y -= 6 * mm
    return _pdf(draw, f"Factuur {facts.number}")


def two_column_header(facts: Facts) -> bytes:
    """Two columns of "label: value" pairs side by side in the header; totals with "Te betalen" on its own line."""
    def draw(pdf: canvas.Canvas) -> None:
        name, street, city, email = facts.seller
        _text(pdf, _LEFT, _HEIGHT - 22 * mm, name, 16, bold=True)
        _text(pdf, _LEFT, _HEIGHT - 28 * mm, f"{street}, {city}  -  {email}  -  KvK 11223344", 8)
        _text(pdf, _RIGHT, _HEIGHT - 22 * mm, "FACTUUR", 16, bold=True, right=True)
        _text(pdf, _LEFT, _HEIGHT - 45 * mm, "Factuur aan", bold=True)
        _text(pdf, 110 * mm, _HEIGHT - 45 * mm, "Leverancier", bold=True)
        left = _buyer_lines(facts)
        right = [name, street, city, "Btw-id NL000099998B57", "IBAN NL91 ABNA 0417 1643 00"]
        y = _HEIGHT - 50 * mm
        for index in range(max(len(left), len(right))):
            if index < len(left):
                _text(pdf, _LEFT, y, left[index])
            if index < len(right):
                _text(pdf, 110 * mm, y, right[index])
            y -= 4.5 * mm
        y -= 6 * mm
        due = facts.due or facts.issue + timedelta(days=facts.terms or 0)
        pairs = [(("Factuurnummer:", facts.number), ("Factuurdatum:", facts.issue.strftime("%d-%m-%Y"))),
                 (("Klantnummer:", facts.extra["customer"]), ("Vervaldatum:", due.strftime("%d-%m-%Y")))]
        for (l1, v1), (l2, v2) in pairs:
            _text(pdf, _LEFT, y, l1, bold=True)
            _text(pdf, _LEFT + 30 * mm, y, v1)
            _text(pdf, 110 * mm, y, l2, bold=True)
            _text(pdf, 140 * mm, y, v2)
            y -= 5 * mm
        y = _items(pdf, facts, y - 10 * mm, money)
        for label, value in (("Subtotaal", facts.excl), (f"Btw {facts.vat_rate * 100:.0f}%", facts.vat),
                             ("Totaal", facts.total)):
            _text(pdf, 120 * mm, y, label)
            _text(pdf, _RIGHT, y, money(value), right=True)
            y -= 5 * mm
        y -= 4 * mm
        _text(pdf, 120 * mm, y, "Te betalen", 11, bold=True)
        y -= 6 * mm
        _text(pdf, _RIGHT, y, money(facts.total), 13, bold=True, right=True)
    return _pdf(draw, f"Factuur {facts.number}")


def belgian(facts: Facts) -> bytes:
    """A Belgian invoice: "Vervaldag", BTW BE0..., a structured communication, slash dates, amounts with EUR."""
    def draw(pdf: canvas.Canvas) -> None:
        _letterhead_right(pdf, facts, ["BTW BE0403.170.701", "RPR Gent", "IBAN BE68 5390 0754 7034"])
        _text(pdf, _LEFT, _HEIGHT - 50 * mm, "FACTUUR", 16, bold=True)
        y = _HEIGHT - 60 * mm
        _text(pdf, 115 * mm, y + 5 * mm, "Klant", bold=True)
        for line in [*_buyer_lines(facts), "BTW-nr BE0477.472.701"]:
            _text(pdf, 115 * mm, y, line)
            y -= 4.5 * mm
        meta = [("Factuurnr.", facts.number), ("Factuurdatum", facts.issue.strftime("%d/%m/%Y"))]
        if facts.due:
            meta.append(("Vervaldag", facts.due.strftime("%d/%m/%Y")))
        y = _HEIGHT - 60 * mm
        for label, value in meta:
            _text(pdf, _LEFT, y, label)
            _text(pdf, _LEFT + 30 * mm, y, value)
            y -= 5 * mm
        y = _items(pdf, facts, _HEIGHT - 100 * mm, lambda v: money(v, "", " EUR"))
        for label, value in (("Totaal excl. BTW", facts.excl), (f"BTW {facts.vat_rate * 100:.0f}%", facts.vat),
                             ("Totaal incl. BTW", facts.total)):
            _text(pdf, 110 * mm, y, label)
            _text(pdf, _RIGHT, y, money(value, "", " EUR"), right=True)
            y -= 5 * mm
        y -= 10 * mm
        terms = f"Betaling binnen {facts.terms} dagen." if facts.terms is not None else "Gelieve te betalen."
        for line in (terms, f"Gelieve te betalen met gestructureerde mededeling {facts.extra['ogm']}",
                     "Bij laattijdige betaling is van rechtswege een intrest verschuldigd."):
            _text(pdf, _LEFT, y, line, 8)
            y -= 4.5 * mm
    return _pdf(draw, f"Factuur {facts.number}")


def credit_note(facts: Facts) -> bytes:
    """A credit note ("Creditnota") that refers to the invoice it corrects; amounts negative."""
    def draw(pdf: canvas.Canvas) -> None:
        _letterhead_right(pdf, facts, ["KvK 12345678", "Btw NL000099998B57"])
        y = _HEIGHT - 60 * mm
        for line in _buyer_lines(facts):
            _text(pdf, _LEFT, y, line)
            y -= 4.5 * mm
        _text(pdf, _LEFT, _HEIGHT - 95 * mm, "Creditnota", 18, bold=True)
        meta = [("Creditnotanummer", facts.number), ("Datum", written(facts.issue)),
                ("Betreft factuur", facts.extra["original"])]
        y = _HEIGHT - 60 * mm
        for label, value in meta:
            _text(pdf, 115 * mm, y, label, bold=True)
            _text(pdf, _RIGHT, y, value, right=True)
            y -= 5 * mm
        y = _items(pdf, facts, _HEIGHT - 110 * mm, money)
        for label, value in (("Subtotaal", facts.excl), (f"Btw {facts.vat_rate * 100:.0f}%", facts.vat),
                             ("Totaal te crediteren", facts.total)):
            _text(pdf, 120 * mm, y, label)
            _text(pdf, _RIGHT, y, money(-value), right=True)
            y -= 5 * mm
        _text(pdf, _LEFT, y - 10 * mm, "Het bedrag wordt binnen 5 werkdagen teruggestort op uw rekening.", 8)
    return _pdf(draw, f"Creditnota {facts.number}")


LAYOUTS: dict[str, Callable[[Facts], bytes]] = {
    "accounting": accounting_package, "word": word_letter, "spreadsheet": spreadsheet,
    "twocolumn": two_column_header, "belgian": belgian, "credit": credit_note,
}
_SELLERS = [("Loodgietersbedrijf Van Dam B.V.", "Molenweg 12", "3811 AB Amersfoort", "facturen@vandam-loodgieters.nl"),
            ("Studio Lindeboom", "Oudegracht 201", "3511 NH Utrecht", "hallo@studiolindeboom.nl"),
            ("Drukkerij De Zwaan BV", "Industrieweg 4", "9001 ZX Grou", "administratie@dezwaan.nl"),
            ("Tuinaanleg Peeters BV", "Kerkstraat 8", "9000 Gent", "info@peeters-tuinen.be")]
_BUYERS = [("Bakkerij Het Gouden Korenaar", "Dorpsstraat 3", "1421 AA Uithoorn", "marieke@goudenkorenaar.nl",
            "info@goudenkorenaar.nl"),
           ("Fysiotherapie Noord", "Noorderplein 17", "9712 KL Groningen", None, "administratie@fysionoord.nl"),
           ("Restaurant De Kromme Elleboog", "Markt 1", "8000 Brugge", "jan.claes@kromme-elleboog.be", None),
           ("Garagebedrijf Hendriks", "Spoorlaan 44", "5038 CB Tilburg", "p.hendriks@garagehendriks.nl",
            "boekhouding@garagehendriks.nl")]
_ITEMS = ["Onderhoud cv-ketel", "Ontwerp huisstijl", "Drukwerk flyers A5", "Snoeiwerk en afvoer groen",
          "Voorrijkosten", "Arbeidsloon (uur)", "Materiaal volgens bon", "Advies en begeleiding"]


def _ogm(rng: random.Random) -> str:
    base = rng.randrange(10**9, 10**10)
    check = base % 97 or 97
    digits = f"{base:010d}{check:02d}"
    return f"+++{digits[:3]}/{digits[3:7]}/{digits[7:]}+++"


def facts_for(layout: str, rng: random.Random, index: int) -> Facts:
    """Random but reproducible facts for one case of a layout."""
    seller = _SELLERS[3] if layout == "belgian" else rng.choice(_SELLERS[:3])
    buyer = rng.choice(_BUYERS)
    issue = date(2026, 1, 1) + timedelta(days=rng.randrange(330))
    terms = None if layout == "credit" else rng.choice([14, 30, None])
    due = None if layout == "credit" or terms is not None else issue + timedelta(days=rng.choice([8, 14, 21]))
    lines = [(rng.choice(_ITEMS), rng.randint(1, 12), Decimal(rng.randrange(1500, 95000)) / 100)
             for _ in range(rng.randint(1, 4))]
    if layout in ("spreadsheet", "twocolumn") and terms is not None:
        # These layouts print only the due date, never the terms behind it.
        due, terms = issue + timedelta(days=terms), None
    number = rng.choice(["{y}-{n:04d}", "F{y}{n:05d}", "{y}.{n:03d}", "INV{n:06d}"]).format(y=issue.year, n=index + 7)
    if layout == "credit":
        number = f"CN-{issue.year}-{index + 3:03d}"
    facts = Facts(number=number, issue=issue, due=due, terms=terms, lines=lines,
                  vat_rate=rng.choice([Decimal("0.21"), Decimal("0.09")]), seller=seller, buyer=buyer[:3],
                  buyer_email=buyer[3], buyer_general=buyer[4], credit=layout == "credit",
                  extra={"customer": str(rng.randrange(1000, 99999)), "ogm": _ogm(rng),
                         "original": f"{issue.year}-{rng.randrange(1, 999):04d}"})
    return facts


def cases(per_layout: int = 4, seed: int = 2026) -> list[tuple[str, bytes, dict]]:
    """(name, PDF bytes, truth) for every layout, `per_layout` cases each."""
    rng = random.Random(seed)
    out = []
    for layout, render in LAYOUTS.items():
        for index in range(per_layout):
            facts = facts_for(layout, rng, index)
            out.append((f"nl_{layout}_{index:02d}", render(facts), facts.truth()))
    return out
