"""Simple (non-compounding) interest over a rate table: the Belgian way of counting late-payment interest."""

from datetime import date
from decimal import Decimal

from worker.domain.law.be_interest_rates import BelgianRate, rate_on
from worker.domain.money import cents

DAYS_IN_YEAR = Decimal("365")


def simple_interest(principal: Decimal, start: date, end: date, table: tuple[BelgianRate, ...]) -> Decimal:
    """Interest on `principal` for the days from `start` up to, not including, `end`, split at rate changes."""
    if end <= start or principal <= 0:
        return Decimal("0.00")
    cuts = sorted({start, end, *(r.start for r in table if start < r.start < end)})
    total = Decimal("0")
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        total += principal * rate_on(table, lo).rate / 100 * (hi - lo).days / DAYS_IN_YEAR
    return cents(total)

