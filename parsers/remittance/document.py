"""`remittance_lines`: the invoice/amount lines of a body text and its CSV, XLSX and PDF attachments."""

from __future__ import annotations

import io
from collections.abc import Sequence

from parsers.remittance.model import RemittanceLine, UnreadableRemittance
from parsers.remittance.rows import lines_from_rows
from parsers.remittance.spreadsheet import csv_rows, xlsx_rows
from parsers.remittance.text import lines_from_text

# A remittance advice lists payments on a page or two; a 5,000-page PDF is refused before it is read.
MAX_PAGES = 50


def pdf_text(data: bytes, filename: str | None = None) -> str:
    """The text layer of a PDF, page by page, columns kept apart by spaces."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = _declared_pages(pdf)
            if pages > MAX_PAGES:
                raise UnreadableRemittance(f"the PDF has {pages} pages; remittance advice of more than {MAX_PAGES} "
                                           "pages is not read", filename)
            return "\n".join((page.extract_text(layout=True) or "") for page in pdf.pages)
    except UnreadableRemittance:
        raise
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise UnreadableRemittance(f"the PDF cannot be read ({type(exc).__name__})", filename) from exc


def _declared_pages(pdf) -> int:  # type: ignore[no-untyped-def]
    """The page tree's /Count, read without building every page (0 when the tree is unreadable)."""
    from pdfminer.pdftypes import resolve1

    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # a broken page tree is judged when the pages are read
        return 0
    return count if isinstance(count, int) else 0


def attachment_lines(filename: str, data: bytes) -> list[RemittanceLine]:
    """Lines of one attachment by its type (.csv, .xlsx, .pdf, .txt); other files give none."""
    name = filename.lower()
    if name.endswith((".csv", ".txt")):
        return lines_from_rows(csv_rows(data, filename)) if name.endswith(".csv") else lines_from_text(
            data.decode("utf-8", "replace"))
    if name.endswith((".xlsx", ".xlsm")):
        return lines_from_rows(xlsx_rows(data, filename))
    if name.endswith(".pdf"):
        return lines_from_text(pdf_text(data, filename))
    return []


def remittance_lines(text: str = "", attachments: Sequence[tuple[str, bytes]] = ()) -> list[RemittanceLine]:
    """All lines of the attachments (filename, bytes), else of the body text; one line per invoice number,
    the first occurrence kept. Raises `UnreadableRemittance` for an attachment that cannot be read."""
    lines: list[RemittanceLine] = []
    for filename, data in attachments:
        lines.extend(attachment_lines(filename, data))
    if not lines:
        lines = lines_from_text(text)
    unique: dict[str, RemittanceLine] = {}
    for line in lines:
        unique.setdefault(line.invoice_number, line)
    return list(unique.values())
