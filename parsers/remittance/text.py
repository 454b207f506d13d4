"""Remittance lines from a body or PDF text: aligned tables, `|`/`;`/tab separated rows, or sentences."""

from __future__ import annotations

import re

from parsers.amount_text import find_amounts
from parsers.remittance.model import RemittanceLine
from parsers.remittance.references import invoice_numbers_in
from parsers.remittance.rows import lines_from_rows

_COLUMN_GAP = re.compile(r"\t+|\s{2,}|\s*[|;]\s*")


def _cells(line: str) -> list[str]:
    cells = [c.strip() for c in _COLUMN_GAP.split(line.strip().strip("|")) if c.strip()]
    if len(cells) >= 2:
        return cells
    # A sentence ("factuur 2024-017: € 450,00 betaald"): the invoice number and the amount after it.
    numbers = invoice_numbers_in(line)
    if len(numbers) != 1:
        return cells
    rest = line[line.find(numbers[0]) + len(numbers[0]):]
    amounts = [a for a in find_amounts(rest) if a.has_decimals or a.currency]
    return [numbers[0], rest[amounts[-1].start:amounts[-1].end].strip()] if amounts else cells


def lines_from_text(text: str) -> list[RemittanceLine]:
    """Every invoice/amount pair the text lists, quoted (`>`) lines left out."""
    rows = [_cells(line) for line in (text or "").splitlines() if line.strip() and not line.lstrip().startswith(">")]
    return lines_from_rows(rows)
