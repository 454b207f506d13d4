"""`remittance_lines`: the invoice/amount lines of a body text and its CSV, XLSX and PDF attachments."""

from __future__ import annotations

import io
from collections.abc import Sequence

from parsers.remittance.model import RemittanceLine, UnreadableRemittance
from parsers.remittance.rows import lines_from_rows
from parsers.remittance.spreadsheet import csv_rows, xlsx_rows
from parsers.remittance.text import lines_from_text


def pdf_text(data: bytes, filename: str | None = None) -> str:
    """The text layer of a PDF, page by page, columns kept apart by spaces."""
    import pdfplumber

    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join((page.extract_text(layout=True) or "") for page in pdf.pages)
    except Exception as exc:  # pdfminer raises many types for damaged files
        raise UnreadableRemittance(f"the PDF cannot be read ({type(exc).__name__})", filename) from exc


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
