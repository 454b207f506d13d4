"""Remittance lines from table rows (CSV, XLSX, or a body/PDF text split into columns)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from decimal import Decimal

from parsers.amount_text import find_amounts, parse_number
from parsers.remittance.model import RemittanceLine
from parsers.remittance.references import invoice_numbers_in

_INVOICE_HEADER = re.compile(
    r"factuur|invoice|rechnung|facture|beleg|document|referen|kenmerk|ref\b|nummer|number|^nr|^no\b|n°", re.I
)
# Columns that hold what was paid, strongest first; an "amount"/"bedrag" column counts only without them.
_PAID_HEADER = re.compile(r"betaald|paid|bezahlt|payé|paye|payment|betaling|zahlbetrag|zahlung|voldaan|montant réglé",
                          re.I)
_AMOUNT_HEADER = re.compile(r"bedrag|amount|betrag|montant|total|totaal|summe|eur|€", re.I)
_NOT_PAID_HEADER = re.compile(r"korting|discount|skonto|escompte|open|openstaand|outstanding|remaining|rest|"
                              r"datum|date|factuurbedrag|invoice amount|rechnungsbetrag|btw|vat|mwst", re.I)
# A cell holding only an amount, with a currency sign or ISO 4217 code before or after it ("GBP 2,000.00").
_CELL_AMOUNT = re.compile(r"^[-−]?\s*(€|\$|£|[A-Z]{3})?\s*[-−]?\d[\d.,\s\u00a0\u202f']*(€|\$|£|[A-Z]{3})?\s*-?$")


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


def cell_amount(value: object) -> Decimal | None:
    """The amount in one cell: a spreadsheet number, or text in either number style (1.234,56 / 1,234.56)."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float, Decimal)):
        return Decimal(str(value)).quantize(Decimal("0.01"))
    text = _cell_text(value)
    if not _CELL_AMOUNT.match(text):
        return None
    found = find_amounts(text)
    if found:
        return found[-1].value
    return parse_number(text)


def _header_columns(row: Sequence[str]) -> tuple[int, int] | None:
    """(invoice column, paid-amount column) when this row is a header row."""
    invoice = next((i for i, c in enumerate(row) if _INVOICE_HEADER.search(c) and not _PAID_HEADER.search(c)
                    and not _AMOUNT_HEADER.search(c.replace("number", ""))), None)
    if invoice is None:
        invoice = next((i for i, c in enumerate(row) if _INVOICE_HEADER.search(c) and "bedrag" not in c.lower()
                        and "amount" not in c.lower()), None)
    paid = next((i for i, c in enumerate(row) if _PAID_HEADER.search(c) and not _NOT_PAID_HEADER.search(c)), None)
    if paid is None:
        paid = next((i for i, c in enumerate(row) if _AMOUNT_HEADER.search(c) and not _NOT_PAID_HEADER.search(c)
                     and i != invoice), None)
    if invoice is None or paid is None or invoice == paid:
        return None
    return invoice, paid


def _invoice_cell(value: object) -> str | None:
    text = _cell_text(value)
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return text
    if not text or cell_amount(text) is not None and not re.fullmatch(r"\d{3,}", text):
        return None
    found = invoice_numbers_in(text)
    if found:
        return found[0]
    token = text.split()[0] if len(text.split()) == 1 else ""
    return token if re.fullmatch(r"[A-Za-z0-9][\w\-/.]{1,30}", token) and any(c.isdigit() for c in token) else None


def lines_from_rows(rows: Iterable[Sequence[object]]) -> list[RemittanceLine]:
    """One line per row that names an invoice and an amount; a header row, when present, picks the columns."""
    lines: list[RemittanceLine] = []
    columns: tuple[int, int] | None = None
    for raw in rows:
        row = list(raw)
        texts = [_cell_text(c) for c in row]
        if not any(texts):
            continue
        header = _header_columns(texts)
        if header is not None and not any(cell_amount(c) is not None for c in row if not isinstance(c, str)):
            if all(cell_amount(t) is None for t in texts):
                columns = header
                continue
        if columns is not None and max(columns) < len(row):
            number, amount = _invoice_cell(row[columns[0]]), cell_amount(row[columns[1]])
        else:
            number = next((n for n in (_invoice_cell(c) for c in row) if n), None)
            amounts = [a for a in (cell_amount(c) for c in row if _cell_text(c) != number) if a is not None]
            amount = amounts[-1] if amounts else None  # the paid column comes last in the usual layouts
        if number and amount is not None and not _is_total_row(texts):
            lines.append(RemittanceLine(number, amount))
    return lines


def _is_total_row(texts: Sequence[str]) -> bool:
    return any(re.match(r"^(totaal|total|summe|gesamt|sum)\b", t, re.I) for t in texts)
