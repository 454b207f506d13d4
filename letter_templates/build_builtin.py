"""Generate the built-in letter templates (builtin/<name>.<language>.docx) with python-docx.

Run `python -m letter_templates.build_builtin` after changing wording here, and commit the .docx files:
staff download those files, edit them in Word and upload them again.
"""

from __future__ import annotations

import io
import sys
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

BUILTIN_DIR = Path(__file__).parent / "builtin"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
GREY = RGBColor(0x59, 0x59, 0x59)
# A fixed timestamp keeps regenerated files byte-stable apart from what actually changed.
BUILT = datetime(2026, 1, 1)


@dataclass(frozen=True)
class Letter:
    title: str  # the e-mail subject, itself a template
    heading: str  # subject line printed in the letter
    salutation: str
    before_table: list[str]
    after_table: list[str] = field(default_factory=list)
    table: str = "invoices"  # or "problems"
    to_finance: bool = False  # addressed to the general address / finance department, not the contact


LABELS = {
    "nl": {
        "date": "Datum", "reference": "Ons kenmerk", "subject": "Betreft", "attention": "t.a.v.",
        "finance": "t.a.v. de financiële administratie",
        "invoice_columns": ("Factuurnummer", "Factuurdatum", "Vervaldatum", "Openstaand"),
        "total": "Totaal openstaand", "problem_columns": ("Onderdeel", "Wat ontbreekt of niet klopt"),
        "regards": "Met vriendelijke groet,",
        "pay_link": "U kunt ook direct online betalen via {{ payment.link }}.",
    },
    "en": {
        "date": "Date", "reference": "Our reference", "subject": "Subject", "attention": "Attn.",
        "finance": "Attn. accounts payable",
        "invoice_columns": ("Invoice number", "Invoice date", "Due date", "Amount open"),
        "total": "Total open", "problem_columns": ("Field", "What is missing or wrong"),
        "regards": "Kind regards,",
        "pay_link": "You can also pay online at {{ payment.link }}.",
    },
}

ONE_OR_MORE_NL = ("{% if invoices|length == 1 %}factuur {{ invoices[0].number }}"
                  "{% else %}{{ invoices|length }} facturen{% endif %}")
ONE_OR_MORE_EN = ("{% if invoices|length == 1 %}invoice {{ invoices[0].number }}"
                  "{% else %}{{ invoices|length }} invoices{% endif %}")
# Singular or plural, so a letter about one invoice never says "invoices".
FACTUUR = "{% if invoices|length == 1 %}factuur{% else %}facturen{% endif %}"
INVOICE = "{% if invoices|length == 1 %}invoice{% else %}invoices{% endif %}"
IS_ARE = "{% if invoices|length == 1 %}is{% else %}are{% endif %}"
DEAR_NL = "Geachte {% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}heer, mevrouw{% endif %},"
DEAR_EN = "Dear {% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}Sir or Madam{% endif %},"
PAY_NL = ("Wilt u {kind} {{{{ total_open|money(currency) }}}} {when} overmaken op rekening "
          "{{{{ payment.iban }}}} ten name van {{{{ business.name }}}}, onder vermelding van "
          "{{{{ payment.reference }}}}?")
PAY_EN = ("Please transfer {kind} {{{{ total_open|money(currency) }}}} {when} to account {{{{ payment.iban }}}} "
          "in the name of {{{{ business.name }}}}, quoting {{{{ payment.reference }}}}.")
BY_DEADLINE_NL = "{% if letter.deadline %}uiterlijk {{ letter.deadline|date }}{% else %}binnen zeven dagen{% endif %}"
BY_DEADLINE_EN = "{% if letter.deadline %}by {{ letter.deadline|date }}{% else %}within seven days{% endif %}"

LETTERS: dict[str, dict[str, Letter]] = {
    "courtesy": {
        "nl": Letter(
            title=f"Goed ontvangen? Uw {ONE_OR_MORE_NL} van {{{{ business.name }}}}",
            heading=f"Uw {ONE_OR_MORE_NL}",
            salutation=DEAR_NL,
            before_table=[
                f"Binnenkort vervalt de betaaltermijn van onderstaande {FACTUUR}. Wij willen graag even nagaan of "
                f"alles goed bij u is aangekomen en naar wens is.",
            ],
            after_table=[
                PAY_NL.format(kind="het bedrag van", when="vóór de vervaldatum"),
                "Klopt er iets niet, of ontbreekt er een gegeven dat u nodig heeft (bijvoorbeeld een "
                "inkoopordernummer)? Laat het ons dan gerust weten door op dit bericht te reageren; dan lossen "
                "wij het direct op.",
            ],
        ),
        "en": Letter(
            title=f"Did you receive our {ONE_OR_MORE_EN}? – {{{{ business.name }}}}",
            heading=f"Your {ONE_OR_MORE_EN}",
            salutation=DEAR_EN,
            before_table=[
                f"The payment term of the {INVOICE} below ends soon. We would like to check that everything "
                "reached you and is in order.",
            ],
            after_table=[
                PAY_EN.format(kind="the amount of", when="before the due date"),
                "Is anything wrong, or do you need more information (a purchase order number, for example)? "
                "Just reply to this message and we will sort it out straight away.",
            ],
        ),
    },
    "reminder": {
        "nl": Letter(
            title=f"Herinnering: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            heading=f"Herinnering {ONE_OR_MORE_NL}",
            salutation=DEAR_NL,
            before_table=[
                f"Volgens onze administratie hebben wij de betaling van onderstaande {FACTUUR} nog niet ontvangen. "
                "Mogelijk is dit aan uw aandacht ontsnapt.",
            ],
            after_table=[
                PAY_NL.format(kind="het openstaande bedrag van", when=BY_DEADLINE_NL),
                "Heeft u inmiddels betaald? Dan kunt u deze herinnering als niet verzonden beschouwen. Klopt er "
                f"iets niet aan de {FACTUUR}, laat het ons dan weten door op dit bericht te reageren.",
            ],
        ),
        "en": Letter(
            title=f"Reminder: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            heading=f"Reminder: {ONE_OR_MORE_EN}",
            salutation=DEAR_EN,
            before_table=[
                f"According to our records we have not yet received payment of the {INVOICE} below. "
                "Perhaps this has slipped your attention.",
            ],
            after_table=[
                PAY_EN.format(kind="the open amount of", when=BY_DEADLINE_EN),
                "If you have already paid, please disregard this reminder. If something is wrong with the "
                f"{INVOICE}, please let us know by replying to this message.",
            ],
        ),
    },
    "firm_reminder": {
        "nl": Letter(
            title=f"Aanmaning: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            heading=f"Aanmaning {ONE_OR_MORE_NL}",
            salutation=DEAR_NL,
            before_table=[
                f"Ondanks onze eerdere herinnering hebben wij de betaling van onderstaande {FACTUUR} nog altijd "
                "niet ontvangen. De betaaltermijn is verstreken.",
            ],
            after_table=[
                PAY_NL.format(kind="het openstaande bedrag van", when=BY_DEADLINE_NL),
                "Ontvangen wij uw betaling niet op tijd, dan kunnen wij de wettelijke rente vanaf de "
                "vervaldatum en buitengerechtelijke incassokosten bij u in rekening brengen. Dat willen wij "
                "graag voorkomen.",
                f"Is er een reden waarom u (nog) niet kunt betalen, of bent u het niet eens met de {FACTUUR}? "
                "Reageer dan op dit bericht, dan zoeken wij samen naar een oplossing.",
            ],
        ),
        "en": Letter(
            title=f"Formal notice: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            heading=f"Formal notice: {ONE_OR_MORE_EN}",
            salutation=DEAR_EN,
            before_table=[
                f"Despite our earlier reminder, we have still not received payment of the {INVOICE} below. "
                "The payment term has expired.",
            ],
            after_table=[
                PAY_EN.format(kind="the open amount of", when=BY_DEADLINE_EN),
                "If we do not receive your payment in time, we may charge statutory interest from the due "
                "date as well as extrajudicial collection costs. We would much rather avoid that.",
                f"Is there a reason you cannot pay yet, or do you disagree with the {INVOICE}? Please reply to "
                "this message so we can find a solution together.",
            ],
        ),
    },
    "last_reminder": {
        "nl": Letter(
            title=f"Laatste herinnering: {ONE_OR_MORE_NL} – {{{{ business.name }}}}",
            heading=f"Laatste herinnering {ONE_OR_MORE_NL}",
            salutation="Geachte heer, mevrouw,",
            to_finance=True,
            before_table=[
                "Wij sturen deze brief naar het algemene adres van {{ debtor.name }}, met "
                "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}onze contactpersoon{% endif %}"
                " in kopie, omdat wij op onze eerdere herinneringen geen reactie hebben ontvangen. Mogelijk "
                "werkt onze contactpersoon niet meer bij uw organisatie. Wilt u deze brief doorsturen naar "
                "degene die bij u over de betaling van facturen gaat?",
                "Onderstaande {% if invoices|length == 1 %}factuur is{% else %}facturen zijn{% endif %} nog altijd "
                "niet betaald:",
            ],
            after_table=[
                PAY_NL.format(kind="het openstaande bedrag van", when="uiterlijk {{ letter.deadline|date }}"),
                "Ontvangen wij vóór {{ letter.deadline|date }} geen betaling of reactie, dan dragen wij de "
                "vordering zonder verdere aankondiging over voor incasso. De wettelijke rente en de "
                "buitengerechtelijke incassokosten komen dan voor uw rekening.",
            ],
        ),
        "en": Letter(
            title=f"Final reminder: {ONE_OR_MORE_EN} – {{{{ business.name }}}}",
            heading=f"Final reminder: {ONE_OR_MORE_EN}",
            salutation="Dear Sir or Madam,",
            to_finance=True,
            before_table=[
                "We are sending this letter to the general address of {{ debtor.name }}, with "
                "{% if debtor.contact_name %}{{ debtor.contact_name }}{% else %}our contact person{% endif %}"
                " in copy, because we have received no response to our earlier reminders. Our contact person "
                "may no longer work at your organisation. Would you please forward this letter to whoever "
                "handles invoice payments?",
                f"The {INVOICE} below {IS_ARE} still unpaid:",
            ],
            after_table=[
                PAY_EN.format(kind="the open amount of", when="by {{ letter.deadline|date }}"),
                "If we have received neither payment nor a response by {{ letter.deadline|date }}, we will "
                "hand the claim over for collection without further notice. Statutory interest and "
                "extrajudicial collection costs will then be charged to you.",
            ],
        ),
    },
    "invoice_problem": {
        "nl": Letter(
            title="Factuur niet verwerkt: {{ document.filename }}",
            heading="Factuur niet verwerkt: {{ document.filename }}",
            salutation="Geachte heer, mevrouw,",
            table="problems",
            before_table=[
                "Op {{ document.received_at|date }} ontvingen wij{% if document.sender %} van "
                "{{ document.sender }}{% endif %} het bestand {{ document.filename }}"
                "{% if document.subject %} (e-mail „{{ document.subject }}”){% endif %}. Wij konden deze "
                "factuur niet volledig verwerken. Tot dit is opgelost volgen wij haar niet op: er gaan geen "
                "herinneringen uit.",
                "Wat ontbreekt of niet klopt:",
            ],
            after_table=[
                "Wilt u de factuur aanvullen en opnieuw in BCC naar ons sturen? Een PDF met echte tekst (niet "
                "gescand), of met een UBL-bestand erbij, lezen wij het betrouwbaarst.",
            ],
        ),
        "en": Letter(
            title="Invoice not processed: {{ document.filename }}",
            heading="Invoice not processed: {{ document.filename }}",
            salutation="Dear Sir or Madam,",
            table="problems",
            before_table=[
                "On {{ document.received_at|date }} we received{% if document.sender %} from "
                "{{ document.sender }}{% endif %} the file {{ document.filename }}"
                "{% if document.subject %} (e-mail “{{ document.subject }}”){% endif %}. We could not fully "
                "process this invoice. Until this is resolved we do not follow it up: no reminders go out.",
                "What is missing or wrong:",
            ],
            after_table=[
                "Please complete the invoice and send it to us again in BCC. A PDF with real text (not a scan), "
                "or one with a UBL file attached, is what we read most reliably.",
            ],
        ),
    },
}


def _border_below(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "8"), ("w:space", "4"), ("w:color", "1F3A5F")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _para(doc, text: str = "", *, bold: bool = False, size: float | None = None, color=None,
          space_after: float = 0, align=None):
    paragraph = doc.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(space_after)
    if align is not None:
        paragraph.alignment = align
    if text:
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        if color is not None:
            run.font.color.rgb = color
    return paragraph


def _cell(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.paragraph_format.space_after = Pt(0)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run(text)
    run.bold = bold


def _invoice_table(doc, labels: dict) -> None:
    table = doc.add_table(rows=5, cols=4)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, heading in enumerate(labels["invoice_columns"]):
        _cell(table.rows[0].cells[i], heading, bold=True, right=i == 3)
        _shade(table.rows[0].cells[i], "DCE6F0")
    # docxtpl: a {%tr %} tag in a row repeats (or removes) the whole row.
    _cell(table.rows[1].cells[0], "{%tr for invoice in invoices %}")
    values = ("{{ invoice.number }}", "{{ invoice.issue_date|date }}", "{{ invoice.due_date|date }}",
              "{{ invoice.open_amount|money(invoice.currency) }}")
    for i, value in enumerate(values):
        _cell(table.rows[2].cells[i], value, right=i == 3)
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    total = table.rows[4].cells
    _cell(total[0].merge(total[2]), labels["total"], bold=True)
    _cell(total[3], "{{ total_open|money(currency) }}", bold=True, right=True)
    for row in table.rows:
        for i, width in enumerate((Cm(4.2), Cm(3.8), Cm(3.8), Cm(4.2))):
            row.cells[i].width = width


def _problem_table(doc, labels: dict) -> None:
    table = doc.add_table(rows=4, cols=2)
    table.style = "Table Grid"
    for i, heading in enumerate(labels["problem_columns"]):
        _cell(table.rows[0].cells[i], heading, bold=True)
        _shade(table.rows[0].cells[i], "DCE6F0")
    _cell(table.rows[1].cells[0], "{%tr for problem in document.problems %}")
    _cell(table.rows[2].cells[0], "{{ problem.field or '–' }}")
    _cell(table.rows[2].cells[1], "{{ problem.message }}")
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    for row in table.rows:
        row.cells[0].width, row.cells[1].width = Cm(4.5), Cm(11.5)


# Styles the letters use (and what they are based on); Word re-creates any other built-in style on demand.
KEEP_STYLES = frozenset({"Normal", "DefaultParagraphFont", "TableNormal", "NoList", "TableGrid"})
DROP_RELATIONSHIPS = ("stylesWithEffects", "customXml", "thumbnail")


def _slim(doc) -> None:
    """Drop python-docx's default baggage (800 kB of unused styles, a blank thumbnail): every letter opens
    and saves this package, so its size is most of the rendering time."""
    styles = doc.styles.element
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:styleId")) not in KEEP_STYLES:
            styles.remove(style)
    for rels in (doc.part.rels, doc.part.package.rels):
        for rel_id, rel in list(rels.items()):
            if rel.reltype.endswith(DROP_RELATIONSHIPS):
                rels.pop(rel_id)


def build(letter: Letter, language: str) -> Document:
    labels = LABELS[language]
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.5)
    section.top_margin, section.bottom_margin = Cm(2.0), Cm(2.0)
    normal = doc.styles["Normal"]
    normal.font.name = "Calibri"  # LibreOffice substitutes the metric-compatible Carlito
    normal.font.size = Pt(10.5)
    normal.paragraph_format.space_after = Pt(6)

    # Letterhead
    _para(doc, "{{ business.name }}", bold=True, size=16, color=ACCENT)
    _para(doc, "{{ business.address }}", size=9, color=GREY)
    contact = _para(doc, "{{ business.email }}{% if business.phone %} · {{ business.phone }}{% endif %}"
                    "{% if business.website %} · {{ business.website }}{% endif %}", size=9, color=GREY,
                    space_after=18)
    _border_below(contact)

    # Addressee
    if letter.table == "problems":
        _para(doc, "{{ business.name }}")
        _para(doc, labels["finance"])
    else:
        _para(doc, "{{ debtor.name }}")
        if letter.to_finance:
            _para(doc, labels["finance"])
        else:
            _para(doc, "{%p if debtor.contact_name %}")
            _para(doc, f"{labels['attention']} {{{{ debtor.contact_name }}}}")
            _para(doc, "{%p endif %}")
        _para(doc, "{%p if debtor.address %}")
        _para(doc, "{{ debtor.address }}")
        _para(doc, "{%p endif %}")
    _para(doc, space_after=12)
    _para(doc, f"{labels['date']}: {{{{ letter.date|date }}}}")
    _para(doc, f"{labels['reference']}: {{{{ letter.reference }}}}", space_after=12)
    _para(doc, f"{labels['subject']}: {letter.heading}", bold=True, space_after=12)

    _para(doc, letter.salutation, space_after=8)
    for text in letter.before_table:
        _para(doc, text, space_after=8)
    if letter.table == "problems":
        _problem_table(doc, labels)
    else:
        _invoice_table(doc, labels)
    _para(doc, space_after=4)
    for text in letter.after_table:
        _para(doc, text, space_after=8)
    if letter.table == "invoices":
        _para(doc, "{%p if payment.link %}")
        _para(doc, labels["pay_link"], space_after=8)
        _para(doc, "{%p endif %}")
    _para(doc, labels["regards"], space_after=24)
    _para(doc, "{{ business.name }}")

    props = doc.core_properties
    props.title = letter.title
    props.author = props.last_modified_by = "dunning"
    props.language = {"nl": "nl-NL", "en": "en-GB"}[language]
    props.comments = "The document Title is the e-mail subject. Placeholders: see the letter_templates vocabulary."
    props.created = props.modified = BUILT
    props.revision = 1
    _slim(doc)
    return doc


def _stable_zip(doc) -> bytes:
    """The package with fixed zip timestamps, so regenerating unchanged letters changes no committed byte."""
    raw = io.BytesIO()
    doc.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(zipfile.ZipInfo(info.filename, BUILT.timetuple()[:6]), src.read(info.filename),
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def main(out_dir: Path = BUILTIN_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, languages in LETTERS.items():
        for language, letter in languages.items():
            path = out_dir / f"{name}.{language}.docx"
            path.write_bytes(_stable_zip(build(letter, language)))
            written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else BUILTIN_DIR):
        print(path)
