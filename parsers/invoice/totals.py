"""Pick the amount an invoice asks to be paid from its totals: an explicit amount-due label, else the grand total."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from parsers.amount_text import AmountMatch, find_amounts
from parsers.invoice.layout import Hit, below, beside

# Priority at or above which a label names the payable amount itself ("Te betalen", "Amount due", "Zahlbetrag").
EXPLICIT = 4
# A total qualified by one of these words is the total of something else (net, VAT, payments, quantities).
_QUALIFIER_AFTER = re.compile(
    r"^[\s:(]*(?:excl|exkl|exclusief|ohne|hors|zonder|netto|net\b|ht\b|h\.t\.|der\s+(?:zu|ab)schl|vat\b|btw\b|"
    r"tax|tva\b|mwst|ust\b|paid|betaald|bezahlt|pay[ée]|re[çc]u|payments?\b|weight|gewicht|items?\b|aantal|qty|"
    r"quantity|menge|hours|uren|stunden|discount|korting|rabatt|remise)",
    re.I)
_QUALIFIER_BEFORE = re.compile(r"(?:net|netto|tax|vat|btw|tva|mwst|ust|sub|zwischen|ht|hours|uren|discount|korting)"
                               r"[\s.:]*$", re.I)


@dataclass(frozen=True)
class Candidate:
    """An amount printed beside or under a total label."""

    hit: Hit
    amount: AmountMatch


def _amount_near(lines: list[str], hits: list[Hit], hit: Hit, decimal_hint: str | None) -> AmountMatch | None:
    text = beside(lines, hits, hit)
    if _QUALIFIER_AFTER.match(text):
        return None
    amounts = [a for a in find_amounts(text, decimal_hint) if a.has_decimals]
    if amounts:
        return amounts[-1]
    if hit.line + 1 < len(lines):
        # A column header over a row of figures: the figure whose span overlaps the header's span.
        under = [a for a in find_amounts(lines[hit.line + 1], decimal_hint)
                 if a.has_decimals and a.start < hit.end + 1 and a.end > hit.start - 1]
        if len(under) == 1:
            return under[0]
        # The last header of a row of column headers: its figure is the last one of the next row, even when
        # header and figures use different font sizes and their text columns drift apart.
        row = lines[hit.line + 1]
        figures = find_amounts(row, decimal_hint)
        if (not text.strip() and len(lines[hit.line][:hit.start].split()) >= 3 and len(figures) >= 3
                and figures[-1].has_decimals and not row[figures[-1].end:].strip()):
            return figures[-1]
    cells = below(lines, hit, 1)
    amounts = [a for a in find_amounts(cells[0], decimal_hint) if a.has_decimals] if cells else []
    if amounts:
        return amounts[0]
    # "Te betalen" alone on its line, the amount alone on the next one (often far to the right).
    if not text.strip() and hit.line + 1 < len(lines):
        following = lines[hit.line + 1]
        amounts = [a for a in find_amounts(following, decimal_hint) if a.has_decimals]
        rest = following
        for a in reversed(amounts):
            rest = rest[:a.start] + rest[a.end:]
        if len(amounts) == 1 and not re.search(r"[A-Za-z]{3,}", rest):
            return amounts[0]
    return None


def candidates(lines: list[str], hits: list[Hit], decimal_hint: str | None) -> list[Candidate]:
    """Every amount-due or total label that has an amount beside or below it and is not a qualified total."""
    found = []
    for hit in hits:
        if hit.field != "amount_due":
            continue
        if hit.priority < EXPLICIT and _QUALIFIER_BEFORE.search(lines[hit.line][:hit.start]):
            continue
        amount = _amount_near(lines, hits, hit, decimal_hint)
        if amount is not None:
            found.append(Candidate(hit, amount))
    return found


def amount_due(lines: list[str], hits: list[Hit], decimal_hint: str | None) -> tuple[Candidate | None, bool]:
    """The payable amount and whether an explicit amount-due label gave it.

    An explicit label wins, the last one printed (a "still to pay" after a "paid" line); otherwise the biggest
    total wins, since subtotals, VAT and line totals are all smaller than the grand total.
    """
    found = candidates(lines, hits, decimal_hint)
    explicit = [c for c in found if c.hit.priority >= EXPLICIT]
    if explicit:
        return max(explicit, key=lambda c: (c.hit.priority, c.hit.line)), True
    if not found:
        return None, False
    top = max(found, key=lambda c: (abs(c.amount.value), c.hit.priority, c.hit.line))
    return top, False


def value_of(candidate: Candidate) -> Decimal:
    """The candidate's amount."""
    return candidate.amount.value
