"""The plain-text body of a rendered letter: its paragraphs and table rows, in document order."""

from __future__ import annotations

from docx.document import Document
from docx.enum.section import WD_HEADER_FOOTER
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.table import Table
from docx.text.paragraph import Paragraph

_P, _TBL = qn("w:p"), qn("w:tbl")


def paragraph_text(paragraph: Paragraph) -> str:
    # python-docx's .text already turns <w:br/> into "\n" and <w:tab/> into "\t".
    return paragraph.text.replace("\t", " ").rstrip()


def table_lines(table: Table) -> list[str]:
    """Rows as lines with columns padded to the widest cell, so amounts line up in a monospaced reader; a
    one-cell table (the address window) keeps its lines, as an address is read."""
    if len(table.rows) == 1 and len(table.columns) == 1:
        cell = table.rows[0].cells[0]
        return [line for p in cell.paragraphs for line in paragraph_text(p).split("\n") if line.strip()]
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # python-docx repeats a merged cell for every grid column it spans: show its text once and keep
            # the empty columns, so the total lines up with the amounts above it.
            same = cell._tc is previous
            previous = cell._tc
            cells.append("" if same else " ".join(" ".join(paragraph_text(p) for p in cell.paragraphs).split()))
        rows.append(cells)
    columns = max((len(r) for r in rows), default=0)
    widths = [max(len(r[i]) for r in rows if i < len(r)) for i in range(columns)]
    return ["  ".join(c.ljust(widths[i]) for i, c in enumerate(r)).rstrip() for r in rows]


def spaced(paragraph: Paragraph, by_style: dict[str | None, bool]) -> bool:
    """Whether Word shows white space after the paragraph; address and letterhead lines have none."""
    space = paragraph.paragraph_format.space_after
    if space is not None:
        return space.pt >= 6
    # Style lookups are slow in python-docx; a letter has few styles, so resolve each once.
    style_id = paragraph._p.style
    if style_id not in by_style:
        style = paragraph.style
        while space is None and style is not None:
            space = style.paragraph_format.space_after
            style = style.base_style
        by_style[style_id] = space is None or space.pt >= 6
    return by_style[style_id]


def block_lines(element, parent, by_style: dict[str | None, bool]) -> list[str]:
    """Lines of the paragraphs and tables directly inside `element` (a body, header or footer)."""
    lines: list[str] = []
    for child in element.iterchildren():
        if child.tag == _P:
            paragraph = Paragraph(child, parent)
            lines.append(paragraph_text(paragraph))
            if spaced(paragraph, by_style):
                lines.append("")
        elif child.tag == _TBL:
            lines.extend(table_lines(Table(child, parent)))
            lines.append("")
    return lines


def _story(document: Document, kind: str):
    """The first section's own header or footer element, read through the relationship docxtpl updated.

    python-docx's `section.header` caches parts by relationship id and still shows the unrendered header.
    """
    sect_pr = document.sections[0]._sectPr
    ref = (sect_pr.get_headerReference if kind == "header" else sect_pr.get_footerReference)(
        WD_HEADER_FOOTER.PRIMARY)
    if ref is None:
        return None
    part = document.part.rels[ref.rId].target_part
    return part.element if hasattr(part, "element") else parse_xml(part.blob)


def letter_text(document: Document) -> str:
    """Header, body and footer text of the first section, with runs of blank lines collapsed to one."""
    by_style: dict[str | None, bool] = {}
    parent = document._body  # gives paragraphs in headers and footers access to the document's styles
    lines: list[str] = []
    for element in (_story(document, "header"), document.element.body, _story(document, "footer")):
        if element is not None:
            lines += block_lines(element, parent, by_style)
    out: list[str] = []
    for line in "\n".join(lines).split("\n"):
        if line.strip() or (out and out[-1]):
            out.append(line.rstrip())
    return "\n".join(out).strip() + "\n"
