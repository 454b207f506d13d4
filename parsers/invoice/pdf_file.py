"""Read a PDF for the invoice reader: pypdfium2 first (fast), pdfplumber where pdfium cannot give a reading."""

from __future__ import annotations

from collections.abc import Callable

from parsers.invoice.pdf_content import PdfContent
from parsers.invoice.pdfium_pdf import PdfiumCannotRead, read_with_pdfium
from parsers.invoice.plumber_pdf import embedded_files_of, read_with_pdfplumber


def read_pdf(data: bytes, filename: str,
             text_needed: Callable[[dict[str, bytes]], bool] | None = None) -> PdfContent:
    """Embedded files and per-page layout text; raises EncryptedDocument, ScannedDocument, CorruptDocument.

    `text_needed(files)` returning False skips the page text (an embedded invoice XML says it all)."""
    try:
        return read_with_pdfium(data, filename, text_needed, embedded_files_of)
    except PdfiumCannotRead:
        return read_with_pdfplumber(data, filename, text_needed)
