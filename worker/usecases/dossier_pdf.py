"""Lay the dossier's summary out as a PDF with reportlab: plain text, A4, byte-for-byte the same every time."""

import io
import textwrap

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from worker.domain.dossier import Section

_MARGIN = 20 * mm
_LINE = 4.6 * mm
_WRAP = 100  # characters per line of 9 pt Helvetica within the margins


def summary_pdf(title: str, sections: list[Section]) -> bytes:
    """`invariant` leaves out the creation date and random document id: the same dossier gives the same bytes."""
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=A4, invariant=1, pageCompression=0)
    canvas.setTitle(title)
    canvas.setAuthor("Invoice follow-up (dunning)")
    _, height = A4
    y = height - _MARGIN

    def line(text: str, font: str = "Helvetica", size: float = 9) -> None:
        nonlocal y
        if y < _MARGIN:
            canvas.showPage()
            y = height - _MARGIN
        canvas.setFont(font, size)
        canvas.drawString(_MARGIN, y, text)
        y -= _LINE if size < 12 else _LINE * 1.6

    line(title, "Helvetica-Bold", 14)
    for heading, lines in sections:
        y -= _LINE / 2
        line(heading, "Helvetica-Bold", 11)
        for text in lines:
            for part in textwrap.wrap(text, _WRAP, subsequent_indent="    ") or [""]:
                line(part)
    canvas.showPage()
    canvas.save()
    return out.getvalue()
