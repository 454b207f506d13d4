"""Generate the built-in letter templates (builtin/<name>[.<tone>].<language>.docx) with python-docx.

Run `python -m letter_templates.build_builtin` after changing wording (the wording_*.py modules) or layout
here, and commit the .docx files: staff download those files, edit them in Word and upload them again.
"""

from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from letter_templates.wording_agreement import AGREEMENT
from letter_templates.wording_common import (
    HISTORY,
    INSTALMENTS,
    INVOICES,
    LABELS,
    PAID,
    PAY,
    PROBLEMS,
    Letter,
)
from letter_templates.wording_de import GERMAN
from letter_templates.wording_fr import FRENCH
from letter_templates.wording_ladder import LADDER
from letter_templates.wording_other import OTHER
from letter_templates.wording_tones import INFORMAL, PLAIN

BUILTIN_DIR = Path(__file__).parent / "builtin"
ACCENT = RGBColor(0x1F, 0x3A, 0x5F)
GREY = RGBColor(0x59, 0x59, 0x59)
# A fixed timestamp keeps regenerated files byte-stable apart from what actually changed.
BUILT = datetime(2026, 1, 1)


LETTERS: dict[str, dict[str, Letter]] = {**LADDER, **INFORMAL, **PLAIN, **OTHER}
for _language, _letters in (("fr", FRENCH), ("de", GERMAN)):
    for _name, _letter in _letters.items():
        LETTERS[_name] = {**LETTERS[_name], _language: _letter}
LETTERS.update(AGREEMENT)  # written in all four languages in one module


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


def _cell_para(cell, text: str) -> None:
    paragraph = cell.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(0)
    paragraph.add_run(text)


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
    _widths(table, (4.2, 3.8, 3.8, 4.2))


def _simple_table(doc, columns: tuple[str, ...], loop: str, values: tuple[str, ...], widths: tuple[float, ...],
                  right: tuple[int, ...] = ()) -> None:
    """A header row, then one row per item of `loop` (docxtpl {%tr %} rows), cells filled with `values`."""
    table = doc.add_table(rows=4, cols=len(columns))
    table.style = "Table Grid"
    for i, heading in enumerate(columns):
        _cell(table.rows[0].cells[i], heading, bold=True, right=i in right)
        _shade(table.rows[0].cells[i], "DCE6F0")
    _cell(table.rows[1].cells[0], f"{{%tr for {loop} %}}")
    for i, value in enumerate(values):
        _cell(table.rows[2].cells[i], value, right=i in right)
    _cell(table.rows[3].cells[0], "{%tr endfor %}")
    _widths(table, widths)


def _widths(table, widths: tuple[float, ...]) -> None:
    """Column widths LibreOffice honours too: the grid columns, not only the cells (which Word reads)."""
    table.autofit = False
    for i, width in enumerate(widths):
        table.columns[i].width = Cm(width)
        for cell in table.columns[i].cells:
            if cell._tc.grid_span == 1:  # a merged cell keeps the sum of its columns
                cell.width = Cm(width)


def _problem_table(doc, labels: dict) -> None:
    _simple_table(doc, labels["problem_columns"], "problem in document.problems",
                  ("{{ problem.field or '–' }}", "{{ problem.message }}"), (4.5, 11.5))


def _paid_table(doc, labels: dict) -> None:
    _simple_table(doc, labels["paid_columns"], "invoice in invoices",
                  ("{{ invoice.number }}", "{{ invoice.issue_date|date }}",
                   "{{ invoice.amount|money(invoice.currency) }}"), (5.0, 5.5, 5.5), right=(2,))


def _instalment_table(doc, labels: dict) -> None:
    _simple_table(doc, labels["instalment_columns"], "item in plan.instalments",
                  ("{{ item.number }}", "{{ item.due_date|date }}", "{{ item.amount|money(currency) }}"),
                  (3.0, 7.0, 6.0), right=(2,))


def _history_table(doc, labels: dict) -> None:
    _simple_table(doc, labels["history_columns"], "contact in history",
                  ("{{ contact.date|date }}", "{{ contact.channel }}", "{{ contact.description }}"),
                  (3.6, 2.4, 10.0))


def _pay_block(doc, labels: dict) -> None:
    """Payment link and SEPA QR code: each paragraph disappears when the letter has no link or no QR."""
    _para(doc, "{%p if payment.link %}")
    _para(doc, labels["pay_link"], space_after=8)
    _para(doc, "{%p endif %}")
    _para(doc, "{%p if payment.qr %}")
    # A borderless two-column table puts the caption beside the code instead of under it.
    table = doc.add_table(rows=1, cols=2)
    _cell(table.rows[0].cells[0], "{{ payment.qr }}")
    _cell(table.rows[0].cells[1], labels["qr"])
    _widths(table, (3.6, 12.4))
    _para(doc, "{%p endif %}")
    _para(doc, space_after=4)


BLOCK_BUILDERS = {
    INVOICES: _invoice_table, PAID: _paid_table, PROBLEMS: _problem_table, INSTALMENTS: _instalment_table,
    HISTORY: _history_table, PAY: _pay_block,
}


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


def build(letter: Letter, language: str) -> DocumentObject:
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

    # Addressee, in a box where the window of a window envelope sits (NEN 1026 / DIN 5008: about 45 mm high,
    # 85 mm wide, starting 20-25 mm from the left edge), so a printed letter needs no extra address label.
    window = doc.add_table(rows=1, cols=1)
    window.rows[0].height = Cm(4.0)
    window.rows[0].height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
    _widths(window, (8.5,))
    cell = window.rows[0].cells[0]
    if letter.addressee == "business":
        _cell(cell, "{{ business.name }}")
        _cell_para(cell, labels["finance"])
    else:
        _cell(cell, "{{ debtor.name }}")
        _cell_para(cell, "{%p if letter.to_general %}")
        _cell_para(cell, labels["finance"])
        _cell_para(cell, "{%p elif debtor.contact_name and not debtor.consumer %}")
        _cell_para(cell, f"{labels['attention']} {{{{ debtor.contact_name }}}}")
        _cell_para(cell, "{%p endif %}")
        _cell_para(cell, "{%p if debtor.address %}")
        _cell_para(cell, "{{ debtor.address }}")
        _cell_para(cell, "{%p endif %}")
    _para(doc, space_after=12)
    _para(doc, f"{labels['date']}: {{{{ letter.date|date }}}}")
    _para(doc, f"{labels['reference']}: {{{{ letter.reference }}}}", space_after=12)
    _para(doc, f"{labels['subject']}: {letter.heading}", bold=True, space_after=12)

    _para(doc, letter.salutation, space_after=8)
    for item in letter.body:
        if item in BLOCK_BUILDERS:
            BLOCK_BUILDERS[item](doc, labels)
            if item != PAY:
                _para(doc, space_after=4)
        else:
            _para(doc, item, space_after=8)
    _para(doc, letter.regards or labels["regards"], space_after=24)
    _para(doc, letter.signature)

    props = doc.core_properties
    props.title = letter.title
    props.author = props.last_modified_by = "dunning"
    props.language = {"nl": "nl-NL", "en": "en-GB", "fr": "fr-BE", "de": "de-DE"}[language]
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
