"""Read a PDF for the invoice reader: pypdfium2 first (fast), pdfplumber where pdfium cannot give a reading."""

from __future__ import annotations

from collections.abc import Callable

from parsers.invoice.errors import DocumentTooLarge
from parsers.invoice.pdf_content import PdfContent
from parsers.invoice.pdf_streams import MAX_INFLATED_BYTES, census
from parsers.invoice.pdfium_pdf import PdfiumCannotRead, read_with_pdfium
from parsers.invoice.plumber_pdf import embedded_files_of, read_with_pdfplumber


def read_pdf(data: bytes, filename: str,
             text_needed: Callable[[dict[str, bytes]], bool] | None = None) -> PdfContent:
    """Embedded files and per-page layout text; raises EncryptedDocument, ScannedDocument, CorruptDocument,
    DocumentTooLarge (a decompression bomb or too many pages).

    `text_needed(files)` returning False skips the page text (an embedded invoice XML says it all)."""
    streams = census(data)
    if streams.too_large:
        raise DocumentTooLarge(f"{filename} unpacks to more than {MAX_INFLATED_BYTES // 1024 // 1024} MB of page "
                               "data; no invoice is that large, so it is not read (ask the sender for the "
                               "original invoice PDF)", filename)
    embedded = not streams.embedded_too_large  # a huge embedded file is never loaded; the pages still are
    try:
        return read_with_pdfium(data, filename, text_needed, embedded_files_of, embedded=embedded)
    except PdfiumCannotRead:
        return read_with_pdfplumber(data, filename, text_needed, embedded=embedded)
