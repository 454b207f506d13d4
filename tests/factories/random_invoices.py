"""Random invoice PDFs (language, wording, layout, number and date format drawn from tables) with truth labels."""

from __future__ import annotations

import io
import random
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from babel.dates import format_date as babel_date
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

import parsers.invoice

LANGUAGES = ("nl", "en", "de", "fr", "it", "es", "pl", "sv")
NUMBER_FORMATS = ("dot_comma", "comma_dot", "space_comma", "thin_space_comma")
DATE_FORMATS = ("numeric", "iso", "words")
_CENT = Decimal("0.01")
_DEJAVU = Path("/usr/share/fonts/truetype/dejavu")

# Wordings per field for the four languages with hand-tuned rules: what invoicing software prints, including the
# short forms the blind sets showed ("Nummer", "No.", "Montant à payer"). Other languages read field_labels.toml.
_WORDINGS: dict[str, dict[str, list[str]]] = {
    "nl": {
        "title": ["FACTUUR", "Factuur"],
        "invoice_number": ["Factuurnummer", "Factuurnr.", "Nummer", "Factuur nr.", "Nr."],
        "issue_date": ["Factuurdatum", "Datum", "Datum factuur"],
        "due_date": ["Vervaldatum", "Uiterste betaaldatum", "Te betalen voor", "Vervaldag"],
        "amount_due": ["Te betalen", "Totaal te betalen", "Openstaand bedrag", "Nog te betalen"],
        "total": ["Totaal incl. btw", "Totaal", "Totaalbedrag"],
        "subtotal": ["Subtotaal", "Totaal excl. btw", "Subtotaal excl. btw"],
        "vat": ["Btw 21%", "BTW 21%", "21% btw"],
        "prepaid": ["Reeds betaald", "Aanbetaling", "Vooruitbetaald"],
        "terms": ["Betaling binnen {n} dagen na factuurdatum.", "Betalingstermijn: {n} dagen"],
        "bill_to": ["Factuur aan", "Klant", "Aan"],
        "desc": ["Omschrijving"], "qty": ["Aantal"], "price": ["Prijs"], "amount": ["Bedrag"],
        "items": ["Advieswerkzaamheden", "Licentie software", "Installatie", "Onderhoud", "Reiskosten",
                  "Ontwerp website", "Hosting"],
    },
    "en": {
        "title": ["INVOICE", "Invoice", "Tax invoice"],
        "invoice_number": ["Invoice number", "Invoice No.", "Invoice #", "No.", "Number", "Invoice no"],
        "issue_date": ["Invoice date", "Date", "Date of issue", "Issue date"],
        "due_date": ["Due date", "Payment due", "Due"],
        "amount_due": ["Amount due", "Balance due", "Total due", "Amount payable", "Please pay"],
        "total": ["Total", "Total incl. VAT", "Invoice total"],
        "subtotal": ["Subtotal", "Net amount", "Total excl. VAT"],
        "vat": ["VAT 21%", "VAT (21%)", "Tax 21%"],
        "prepaid": ["Paid", "Less deposit", "Amount paid", "Payments received"],
        "terms": ["Payment terms: net {n} days", "Please pay within {n} days of the invoice date."],
        "bill_to": ["Bill to", "Invoice to", "Customer"],
        "desc": ["Description"], "qty": ["Qty"], "price": ["Unit price"], "amount": ["Amount"],
        "items": ["Consulting services", "Software licence", "Installation", "Support contract", "Travel expenses",
                  "Website design", "Hosting"],
    },
    "de": {
        "title": ["RECHNUNG", "Rechnung"],
        "invoice_number": ["Rechnungsnummer", "Rechnungs-Nr.", "Rechnung Nr.", "Nummer", "Beleg-Nr."],
        "issue_date": ["Rechnungsdatum", "Datum", "Belegdatum"],
        "due_date": ["Fälligkeitsdatum", "Fällig am", "Zahlbar bis", "Fälligkeit"],
        "amount_due": ["Zahlbetrag", "Zu zahlen", "Offener Betrag", "Rechnungsbetrag zu zahlen"],
        "total": ["Gesamtbetrag", "Summe brutto", "Gesamt"],
        "subtotal": ["Zwischensumme", "Summe netto", "Nettobetrag"],
        "vat": ["MwSt. 19%", "USt. 19%", "19% MwSt."],
        "prepaid": ["Bereits bezahlt", "Anzahlung", "Abzüglich Anzahlung"],
        "terms": ["Zahlbar innerhalb von {n} Tagen ohne Abzug.", "Zahlungsziel: {n} Tage"],
        "bill_to": ["Rechnung an", "Kunde", "Empfänger"],
        "desc": ["Beschreibung"], "qty": ["Menge"], "price": ["Einzelpreis"], "amount": ["Betrag"],
        "items": ["Beratung", "Softwarelizenz", "Installation", "Wartung", "Reisekosten", "Webdesign", "Hosting"],
    },
    "fr": {
        "title": ["FACTURE", "Facture"],
        "invoice_number": ["Numéro de facture", "Facture n°", "N° de facture", "Numéro", "N°"],
        "issue_date": ["Date de facture", "Date", "Date d'émission"],
        "due_date": ["Date d'échéance", "Échéance", "À payer avant le"],
        "amount_due": ["Montant à payer", "Net à payer", "Reste à payer", "Total à payer"],
        "total": ["Total TTC", "Montant TTC", "Total"],
        "subtotal": ["Total HT", "Montant HT", "Sous-total"],
        "vat": ["TVA 20%", "TVA (20 %)", "T.V.A. 20%"],
        "prepaid": ["Acompte versé", "Déjà payé", "Acompte"],
        "terms": ["Paiement à {n} jours date de facture.", "Conditions de paiement : {n} jours"],
        "bill_to": ["Facturé à", "Client", "Destinataire"],
        "desc": ["Désignation"], "qty": ["Qté"], "price": ["Prix unitaire"], "amount": ["Montant"],
        "items": ["Prestation de conseil", "Licence logiciel", "Installation", "Maintenance", "Frais de déplacement",
                  "Conception site web", "Hébergement"],
    },
}
# Words the EN 16931 tables do not carry: layout words, prepaid lines and payment terms for the other languages.
_EXTRA: dict[str, dict[str, list[str]]] = {
    "it": {"title": ["FATTURA", "Fattura"], "prepaid": ["Acconto", "Già pagato"], "vat_rate": ["22"],
           "terms": ["Pagamento a {n} giorni data fattura", "Termini di pagamento: {n} giorni"],
           "desc": ["Descrizione"], "qty": ["Quantità"], "price": ["Prezzo"], "amount": ["Importo"],
           "items": ["Consulenza", "Licenza software", "Installazione", "Manutenzione", "Spese di viaggio"]},
    "es": {"title": ["FACTURA", "Factura"], "prepaid": ["Anticipo", "Ya pagado"], "vat_rate": ["21"],
           "terms": ["Pago a {n} días fecha factura", "Condiciones de pago: {n} días"],
           "desc": ["Descripción"], "qty": ["Cantidad"], "price": ["Precio"], "amount": ["Importe"],
           "items": ["Consultoría", "Licencia de software", "Instalación", "Mantenimiento", "Gastos de viaje"]},
    "pl": {"title": ["FAKTURA", "Faktura VAT"], "prepaid": ["Zaliczka", "Zapłacono"], "vat_rate": ["23"],
           "terms": ["Płatne w ciągu {n} dni", "Forma płatności: przelew {n} dni"],
           "desc": ["Nazwa towaru lub usługi"], "qty": ["Ilość"], "price": ["Cena netto"], "amount": ["Wartość"],
           "items": ["Usługi doradcze", "Licencja oprogramowania", "Instalacja", "Serwis", "Koszty podróży"]},
    "sv": {"title": ["FAKTURA", "Faktura"], "prepaid": ["Förskott", "Redan betalt"], "vat_rate": ["25"],
           "terms": ["Betalningsvillkor: {n} dagar netto", "Betalning inom {n} dagar"],
           "desc": ["Beskrivning"], "qty": ["Antal"], "price": ["À-pris"], "amount": ["Belopp"],
           "items": ["Konsulttjänster", "Programlicens", "Installation", "Underhåll", "Resekostnader"]},
}
_VAT_RATE = {"nl": 21, "en": 21, "de": 19, "fr": 20}
_CURRENCIES = {"nl": ["EUR"], "en": ["EUR", "GBP", "USD"], "de": ["EUR", "CHF"], "fr": ["EUR"], "it": ["EUR"],
               "es": ["EUR"], "pl": ["PLN", "EUR"], "sv": ["SEK", "EUR"]}
_SIGNS = {"EUR": "€", "GBP": "£", "USD": "$", "PLN": "zł"}
_PLACES = {  # the seller's street and city per language; flavour only, no field reads them
    "nl": ("Keizersgracht 100", "1015 AA Amsterdam"), "en": ("12 High Street", "London EC1A 1BB"),
    "de": ("Hauptstraße 5", "10115 Berlin"), "fr": ("12 rue de la Paix", "75002 Paris"),
    "it": ("Via Roma 10", "00184 Roma"), "es": ("Calle Mayor 7", "28013 Madrid"),
    "pl": ("ul. Długa 3", "00-238 Warszawa"), "sv": ("Storgatan 4", "111 51 Stockholm"),
}
_COUNTRY = {"nl": "NL", "en": "GB", "de": "DE", "fr": "FR", "it": "IT", "es": "ES", "pl": "PL", "sv": "SE"}
_NUMBER_PATTERNS = ("F{y}-{n:04d}", "INV-{n:05d}", "{y}/{n:04d}", "RE-{y}-{n}", "{y}{n:05d}", "{n}", "FA{y}.{n:03d}")


@dataclass(frozen=True)
class GeneratedInvoice:
    """One generated invoice: the PDF, the truth labels and the drawn traits (language, layout, formats)."""

    pdf: bytes
    truth: dict[str, str | None]
    traits: dict[str, object] = field(default_factory=dict)


def _toml_labels() -> dict[str, dict[str, list[str]]]:
    path = Path(parsers.invoice.__file__).with_name("field_labels.toml")
    return tomllib.loads(path.read_text(encoding="utf-8"))


def wordings(language: str) -> dict[str, list[str]]:
    """The label tables for one language: hand-written for nl/en/de/fr, EN 16931 names (capitalised) otherwise."""
    if language in _WORDINGS:
        return _WORDINGS[language]
    table = _toml_labels()[language]
    extra = _EXTRA[language]
    rate = extra["vat_rate"][0]
    words = {key: [w[:1].upper() + w[1:] for w in table[key]]
             for key in ("invoice_number", "issue_date", "due_date", "amount_due", "total")}
    words["subtotal"] = [w[:1].upper() + w[1:] for w in table["total_excl_vat"]]
    words["vat"] = [f"{w.upper()} {rate}%" for w in table["vat_total"]]
    words["bill_to"] = [w[:1].upper() + w[1:] for w in table["buyer"]]
    words.update({k: v for k, v in extra.items() if k != "vat_rate"})
    return words


def vat_rate(language: str) -> int:
    return _VAT_RATE.get(language) or int(_EXTRA[language]["vat_rate"][0])


def format_number(value: Decimal, style: str) -> str:
    """`1.234,56` (dot_comma), `1,234.56` (comma_dot), `1 234,56` (space_comma) or with U+202F (thin_space_comma)."""
    quantized = value.quantize(_CENT, rounding=ROUND_HALF_UP)
    whole, frac = f"{abs(quantized):.2f}".split(".")
    groups = f"{int(whole):,}"
    sign = "-" if quantized < 0 else ""
    group, decimal = {"dot_comma": (".", ","), "comma_dot": (",", "."), "space_comma": ("\u00a0", ","),
                      "thin_space_comma": ("\u202f", ",")}[style]
    if style == "space_comma" and value.copy_abs() >= 1000:
        group = " "  # software prints a plain space as often as a no-break one; both must read
    return f"{sign}{groups.replace(',', group)}{decimal}{frac}"


def format_money(value: Decimal, currency: str, style: str, placement: str) -> str:
    """The amount with its currency as sign or ISO code, before or after the number."""
    number = format_number(value, style)
    mark = _SIGNS.get(currency, currency) if placement.startswith("sign") else currency
    if mark == "zł" and placement == "sign_before":
        placement = "sign_after"  # nobody prints "zł 1 234,56"
    if placement.endswith("before"):
        return f"{mark}{number}" if mark in ("£", "$") else f"{mark} {number}"
    return f"{number} {mark}"


def format_day(value: date, style: str, language: str) -> str:
    """A date as numeric day-month-year (`-`, `/` or `.`), ISO 8601, or in words per the language (babel's CLDR)."""
    if style == "iso":
        return value.isoformat()
    if style.startswith("numeric"):
        sep = style[-1]
        return f"{value.day:02d}{sep}{value.month:02d}{sep}{value.year}"
    return babel_date(value, format=style.split("_")[1], locale=language)


def _font_names() -> tuple[str, str]:
    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(_DEJAVU / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(_DEJAVU / "DejaVuSans-Bold.ttf")))
    return "DejaVuSans", "DejaVuSans-Bold"


def _invoice_number(rng: random.Random, year: int) -> str:
    return rng.choice(_NUMBER_PATTERNS).format(y=year, n=rng.randint(1, 99999))


def _line_items(rng: random.Random, words: dict[str, list[str]], many: bool) -> list[tuple[str, int, Decimal]]:
    count = rng.randint(2, 6) if many else 1
    names = rng.sample(words["items"], min(count, len(words["items"])))
    return [(name, rng.choice([1, 1, 2, 3, 5, 10]), Decimal(rng.randint(1500, 250000)) / 100) for name in names]


def random_invoice(rng: random.Random, language: str | None = None) -> GeneratedInvoice:
    """Draw one invoice from the tables with `rng` and render it; the truth is what the page states."""
    language = language or rng.choice(LANGUAGES)
    words = wordings(language)
    pick = {key: rng.choice(values) for key, values in words.items() if key != "items"}
    traits: dict[str, object] = {
        "language": language,
        "number_format": rng.choice(NUMBER_FORMATS),
        "date_format": rng.choice(DATE_FORMATS),
        "date_variant": rng.choice(["-", "/", "."]) + rng.choice(["long", "medium"]),
        "placement": rng.choice(["sign_before", "sign_after", "code_before", "code_after"]),
        "label_position": rng.choice(["beside", "below"]),
        "colon": rng.random() < 0.7,
        "totals": rng.choice(["right", "table"]),
        "many_lines": rng.random() < 0.5,
        "prepaid": rng.random() < 0.25,
        "due": rng.choice(["date", "date", "date", "terms"]),
        "meta_side": rng.choice(["right", "left"]),
        "labels": {key: pick[key] for key in ("invoice_number", "issue_date", "due_date", "amount_due", "total")},
    }
    currency = rng.choice(_CURRENCIES[language])
    issue = date(2026, 1, 1) + timedelta(days=rng.randint(0, 360))
    terms_days = rng.choice([8, 14, 14, 30, 30, 60])
    due = issue + timedelta(days=terms_days)
    number = _invoice_number(rng, issue.year)
    items = _line_items(rng, words, bool(traits["many_lines"]))
    subtotal = sum((qty * price for _, qty, price in items), Decimal(0)).quantize(_CENT)
    vat = (subtotal * vat_rate(language) / 100).quantize(_CENT, rounding=ROUND_HALF_UP)
    total = subtotal + vat
    prepaid = (total * Decimal(rng.choice([10, 20, 25, 30, 50])) / 100).quantize(_CENT) if traits["prepaid"] else None
    amount_due = total - (prepaid or 0)

    def money(value: Decimal) -> str:
        return format_money(value, currency, str(traits["number_format"]), str(traits["placement"]))

    def day(value: date) -> str:
        style, variant = str(traits["date_format"]), str(traits["date_variant"])
        style = {"numeric": f"numeric{variant[0]}", "words": f"words_{variant[1:]}"}.get(style, style)
        return format_day(value, style, language)

    meta = [(pick["invoice_number"], number), (pick["issue_date"], day(issue))]
    if traits["due"] == "date":
        meta.append((pick["due_date"], day(due)))
    totals = [(pick["subtotal"], subtotal), (pick["vat"], vat), (pick["total"], total)]
    if prepaid is not None:
        totals += [(pick["prepaid"], -prepaid), (pick["amount_due"], amount_due)]
    elif rng.random() < 0.6:
        totals.append((pick["amount_due"], amount_due))
    pdf = _render(language=language, pick=pick, traits=traits, meta=meta, items=items, totals=totals,
                  money=money, terms=pick["terms"].format(n=terms_days), rng=rng)
    truth = {"invoice_number": number, "issue_date": issue.isoformat(), "due_date": due.isoformat(),
             "currency": currency, "amount_due": str(amount_due)}
    return GeneratedInvoice(pdf=pdf, truth=truth, traits=traits | {"currency": currency})


def _render(*, language: str, pick: dict[str, str], traits: dict[str, object], meta: list[tuple[str, str]],
            items: list[tuple[str, int, Decimal]], totals: list[tuple[str, Decimal]], money, terms: str,
            rng: random.Random) -> bytes:
    regular, bold = _font_names()
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    width, height = A4
    left, right = 20 * mm, width - 20 * mm
    colon = ":" if traits["colon"] else ""
    street, city = _PLACES[language]
    seller = rng.choice(["Nordlicht", "Van Dijk", "Atelier Rive", "Bianchi", "Soler", "Kowalski", "Lindqvist"])
    seller += rng.choice([" Consulting", " & Partners", " Services", " Studio"])

    pdf.setFont(bold, 15)
    pdf.drawString(left, height - 25 * mm, seller)
    pdf.setFont(regular, 8)
    seller_lines = [street, city, f"info@{seller.split()[0].lower()}.example", "IBAN NL91ABNA0417164300",
                    f"VAT {_COUNTRY[language]}{rng.randint(100000000, 999999999)}"]
    y = height - 25 * mm
    for line in seller_lines:
        pdf.drawRightString(right, y, line)
        y -= 4 * mm

    pdf.setFont(bold, 18)
    pdf.drawString(left, height - 62 * mm, pick["title"])
    pdf.setFont(bold, 9)
    buyer_x = left if traits["meta_side"] == "right" else 120 * mm
    meta_x = 120 * mm if traits["meta_side"] == "right" else left
    y = height - 75 * mm
    pdf.drawString(buyer_x, y, pick["bill_to"] + colon)
    pdf.setFont(regular, 9)
    for line in ["Klantbedrijf Noord", "Stationsplein 1", "3511 ED Utrecht"]:
        y -= 4.5 * mm
        pdf.drawString(buyer_x, y, line)

    y = height - 75 * mm
    for label, value in meta:
        pdf.setFont(bold, 9)
        pdf.drawString(meta_x, y, label + colon)
        pdf.setFont(regular, 9)
        if traits["label_position"] == "beside":
            pdf.drawString(meta_x + 38 * mm, y, value)
            y -= 5 * mm
        else:
            pdf.drawString(meta_x, y - 4.5 * mm, value)
            y -= 11 * mm

    y = height - 125 * mm
    pdf.setFont(bold, 9)
    for x, text, align_right in [(left, pick["desc"], False), (115 * mm, pick["qty"], True),
                                 (150 * mm, pick["price"], True), (right, pick["amount"], True)]:
        (pdf.drawRightString if align_right else pdf.drawString)(x, y, text)
    pdf.line(left, y - 2 * mm, right, y - 2 * mm)
    pdf.setFont(regular, 9)
    for name, qty, price in items:
        y -= 6 * mm
        pdf.drawString(left, y, name)
        pdf.drawRightString(115 * mm, y, str(qty))
        pdf.drawRightString(150 * mm, y, money(price))
        pdf.drawRightString(right, y, money(qty * price))

    y -= 12 * mm
    if traits["totals"] == "table":
        top = y + 4.5 * mm
        pdf.line(110 * mm, top, right, top)
    for index, (label, value) in enumerate(totals):
        last = index == len(totals) - 1
        pdf.setFont(bold if last else regular, 10 if last else 9)
        pdf.drawString(115 * mm if traits["totals"] == "table" else 120 * mm, y, label)
        pdf.drawRightString(right - (2 * mm if traits["totals"] == "table" else 0), y, money(value))
        if traits["totals"] == "table":
            pdf.line(110 * mm, y - 1.8 * mm, right, y - 1.8 * mm)
        y -= 6 * mm
    if traits["totals"] == "table":
        bottom = y + 4.2 * mm
        for x in (110 * mm, 155 * mm, right):
            pdf.line(x, top, x, bottom)

    pdf.setFont(regular, 9)
    y -= 14 * mm
    pdf.drawString(left, y, terms)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
