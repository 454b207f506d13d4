"""The two PDF back ends: pypdfium2 (fast path) reads the same layout text as pdfplumber, and hands over to it."""

import io
from datetime import date
from decimal import Decimal

import pdfplumber
import pypdfium2 as pdfium
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from parsers.invoice import parse_invoice_document
from parsers.invoice.char_layout import X_TOLERANCE_RATIO, Char, layout_text, without_ghost_spaces
from parsers.invoice.layout import normalise_lines
from parsers.invoice.pdf_content import chosen_pages
from parsers.invoice.pdfium_pdf import PdfiumCannotRead, read_with_pdfium
from parsers.invoice.plumber_pdf import read_with_pdfplumber
from tests.factories.invoice_pdf import make_invoice_pdf
from tests.factories.nl_layouts import cases

INVOICE = dict(number="2025-0042", issue_date=date(2025, 3, 7), due_date=date(2025, 4, 6),
               amount_due=Decimal("1210.00"), seller_name="Bakkerij De Molen B.V.",
               seller_email="facturen@demolen.nl", buyer_name="Café Het Hoekje", buyer_email="jan@hoekje.nl")
LAYOUTS = [data for _, data, _ in cases(per_layout=1)]


def _no_attachments(data: bytes) -> dict[str, bytes]:
    return {}


@pytest.mark.parametrize("data", LAYOUTS)
def test_pdfium_reads_the_same_lines_as_pdfplumber(data):
    fast = read_with_pdfium(data, "f.pdf", None, _no_attachments)
    slow = read_with_pdfplumber(data, "f.pdf")
    assert [normalise_lines([page]) for page in fast.pages] == [normalise_lines([page]) for page in slow.pages]


def _char(c: dict) -> Char:
    return Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], c["upright"], c["size"])


@pytest.mark.parametrize("data", LAYOUTS)
def test_char_layout_is_pdfplumbers_layout_text(data):
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        kept = {(c.x0, c.top, c.text) for c in without_ghost_spaces([_char(c) for c in page.chars])}
        expected = page.filter(lambda o: o.get("object_type") != "char" or (o["x0"], o["top"], o["text"]) in kept) \
            .extract_text(layout=True, x_tolerance_ratio=X_TOLERANCE_RATIO)
        ours = layout_text(without_ghost_spaces([_char(c) for c in page.chars]), page.bbox[0])
        assert normalise_lines([ours]) == normalise_lines([expected])


def test_rotated_page_is_left_to_pdfplumber():
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setPageRotation(90)
    pdf.drawString(60, 800, "Factuurnummer 2026-0100    Factuurdatum 01-03-2026")
    pdf.drawString(60, 780, "Te betalen EUR 250,00")
    pdf.save()
    with pytest.raises(PdfiumCannotRead):
        read_with_pdfium(buffer.getvalue(), "r.pdf", None, _no_attachments)
    assert parse_invoice_document(buffer.getvalue(), "r.pdf").invoice_number == "2026-0100"


def test_pdfium_failure_falls_back_to_pdfplumber(monkeypatch):
    def broken(*args, **kwargs):
        raise pdfium.PdfiumError("Failed to load document (PDFium: Data format error).", err_code=3)

    monkeypatch.setattr(pdfium, "PdfDocument", broken)
    invoice = parse_invoice_document(make_invoice_pdf(**INVOICE), "f.pdf")
    assert (invoice.invoice_number, invoice.amount_due) == ("2025-0042", Decimal("1210.00"))


def test_long_pdf_reads_both_ends():
    assert chosen_pages(3) == [0, 1, 2]
    assert chosen_pages(100) == [0, 1, 2, 3, 4, 95, 96, 97, 98, 99]
