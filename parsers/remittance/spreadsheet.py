"""Rows of CSV and XLSX attachments."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from parsers.remittance.model import UnreadableRemittance


def csv_rows(data: bytes, filename: str | None = None) -> list[list[str]]:
    """Rows of a CSV file in UTF-8 (with or without BOM) or Windows-1252, delimiter sniffed (`;` `,` tab)."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnreadableRemittance("the CSV file is not UTF-8 or Windows-1252 text", filename)
    return [row for row in csv.reader(io.StringIO(text), delimiter=_delimiter(text))]


def _delimiter(text: str) -> str:
    """`;`, tab or `|` when every line has one (Dutch exports write decimal commas); else `,`."""
    lines = [line for line in text.splitlines()[:50] if line.strip()]
    for candidate in (";", "\t", "|"):
        if lines and all(candidate in line for line in lines):
            return candidate
    return ","


def xlsx_rows(data: bytes, filename: str | None = None) -> list[Sequence[object]]:
    """Cell values of every sheet of an XLSX workbook (computed values, not formulas)."""
    try:
        from openpyxl import load_workbook  # optional dependency: only XLSX remittance needs it
    except ImportError as exc:
        raise UnreadableRemittance("XLSX attachments need the openpyxl package, which is not installed",
                                   filename) from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged or non-XLSX files
        raise UnreadableRemittance(f"the spreadsheet cannot be opened ({type(exc).__name__})", filename) from exc
    rows: list[Sequence[object]] = []
    for sheet in workbook.worksheets:
        rows.extend(sheet.iter_rows(values_only=True))
    workbook.close()
    return rows
