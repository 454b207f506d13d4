"""Dutch statutory interest: simple within each year of default, compounding at every anniversary (6:119 BW)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from worker.domain.law.calendar_year import anniversary
from worker.domain.law.nl_interest_rates import RATES, TABLE_VERSION, RatePeriod
from worker.domain.money import cents

DAY_COUNT = "actual/365"  # every day counts, every year has 365 days (also leap years)
DAYS_IN_YEAR = Decimal("365")


@dataclass(frozen=True)
class InterestPeriod:
    """Interest over `base` at `rate` percent for the days from `start` (inclusive) to `end` (exclusive)."""

    start: date
    end: date
    days: int
    rate: Decimal
    base: Decimal
    amount: Decimal
    verify: bool


@dataclass(frozen=True)
class InterestResult:
    """Total interest and the periods it was built from (split at rate changes and anniversaries)."""

    amount: Decimal
    principal: Decimal
    periods: tuple[InterestPeriod, ...]
    consumer: bool
    table_version: str = TABLE_VERSION
    day_count: str = DAY_COUNT


def _row_on(day: date) -> RatePeriod:
    rows = [r for r in RATES if r.start <= day]
    if not rows:
        raise ValueError(f"no statutory interest rate in the table for {day.isoformat()} (it starts {RATES[0].start})")
    return rows[-1]


def _rate_on(day: date, consumer: bool) -> tuple[Decimal, bool]:
    row = _row_on(day)
    if not consumer:
        return row.commercial, row.source.verify
    known = [r for r in RATES if r.start <= day and r.consumer is not None]
    rate = known[-1].consumer
    assert rate is not None
    return rate, row.source.verify or row.consumer is None


def statutory_rate(day: date, consumer: bool) -> Decimal:
    """The rate (percent per year) in force on `day`."""
    return _rate_on(day, consumer)[0]


def statutory_interest(principal: Decimal, start: date, end: date, consumer: bool) -> InterestResult:
    """Interest on `principal` for the days from `start` (first day of default) up to, not including, `end`.

    Conventions (documented because calculators differ): day count actual/365; a period ends at every
    rate change and at every anniversary of `start`; each period's interest is rounded half-up to
    cents; at each anniversary the year's (rounded) interest is added to the base (art. 6:119 lid 2 BW).
    """
    if end < start:
        raise ValueError("the end date lies before the start date")
    if principal < 0:
        raise ValueError("the principal cannot be negative")
    cuts = {start, end}
    cuts.update(r.start for r in RATES if start < r.start < end)
    years = 1
    while anniversary(start, years) < end:
        cuts.add(anniversary(start, years))
        years += 1
    anniversaries = {anniversary(start, n) for n in range(1, years)}
    bounds = sorted(cuts)
    base = cents(principal)
    year_interest = Decimal("0")
    periods = []
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        if lo in anniversaries:
            base, year_interest = base + year_interest, Decimal("0")
        rate, verify = _rate_on(lo, consumer)
        days = (hi - lo).days
        amount = cents(base * rate / 100 * days / DAYS_IN_YEAR)
        periods.append(InterestPeriod(lo, hi, days, rate, base, amount, verify))
        year_interest += amount
    total = sum((p.amount for p in periods), Decimal("0"))
    return InterestResult(cents(total), cents(principal), tuple(periods), consumer)
