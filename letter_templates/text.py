"""The plain-text body of a rendered letter: its paragraphs and table rows, in document order."""

from __future__ import annotations

from docx.document import Document
from docx.table import Table
from docx.text.paragraph import Paragraph


def paragraph_text(paragraph: Paragraph) -> str:
    # python-docx's .text already turns <w:br/> into "\n" and <w:tab/> into "\t".
    return paragraph.text.replace("\t", " ").rstrip()


def table_lines(table: Table) -> list[str]:
    """Rows as lines with columns padded to the widest cell, so amounts line up in a monospaced reader."""
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


def spaced(paragraph: Paragraph) -> bool:
    """Whether Word shows white space after the paragraph; address and letterhead lines have none."""
    space = paragraph.paragraph_format.space_after
    style = paragraph.style
    while space is None and style is not None:
        space = style.paragraph_format.space_after
        style = style.base_style
    return space is None or space.pt >= 6


def block_lines(container) -> list[str]:
    lines: list[str] = []
    for block in container.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(paragraph_text(block))
            if spaced(block):
                lines.append("")
        elif isinstance(block, Table):
            lines.extend(table_lines(block))
            lines.append("")
    return lines


def letter_text(document: Document) -> str:
    """Header, body and footer text of the first section, with runs of blank lines collapsed to one."""
    section = document.sections[0]
    lines: list[str] = []
    if not section.header.is_linked_to_previous:
        lines += block_lines(section.header)
    lines += block_lines(document)
    if not section.footer.is_linked_to_previous:
        lines += block_lines(section.footer)
    out: list[str] = []
    for line in "\n".join(lines).split("\n"):
        if line.strip() or (out and out[-1]):
            out.append(line.rstrip())
    return "\n".join(out).strip() + "\n"
