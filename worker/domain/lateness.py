"""Chronic late payers: how late a debtor pays per period, whether that gets better or worse."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

TENTH = Decimal("0.1")
TREND_DAYS = Decimal(3)  # a change of less than this many days on average is noise, not a trend


@dataclass(frozen=True)
class Period:
    """Invoices due in [start, end]: how many, how many late, and their total days late (on time counts 0)."""

    start: date
    end: date
    invoices: int = 0
    late: int = 0
    days_late: int = 0

    @property
    def average_days_late(self) -> Decimal | None:
        """Days late per invoice due in the period (on-time invoices count as 0); None when none was due."""
        if not self.invoices:
            return None
        return (Decimal(self.days_late) / self.invoices).quantize(TENTH, rounding=ROUND_HALF_UP)


def periods_before(as_of: date, count: int, length_days: int) -> list[tuple[date, date]]:
    """`count` periods of `length_days` ending on `as_of`, oldest first."""
    ends = [as_of - timedelta(days=length_days * n) for n in range(count)]
    return [(end - timedelta(days=length_days - 1), end) for end in reversed(ends)]


def trend(periods: list[Period]) -> str:
    """The latest period with invoices against the average of the earlier ones: worse, better or steady; "new"
    when there is nothing earlier to compare with."""
    averages = [p.average_days_late for p in periods if p.average_days_late is not None]
    if len(averages) < 2:
        return "new"
    earlier = sum(averages[:-1], Decimal(0)) / (len(averages) - 1)
    change = averages[-1] - earlier
    if change >= TREND_DAYS:
        return "worse"
    if change <= -TREND_DAYS:
        return "better"
    return "steady"


def is_chronic(periods: list[Period], min_late: int, min_average_days: Decimal) -> bool:
    """Late on at least `min_late` invoices over the periods, and late by `min_average_days` per invoice."""
    invoices = sum(p.invoices for p in periods)
    late = sum(p.late for p in periods)
    if not invoices or late < min_late:
        return False
    return Decimal(sum(p.days_late for p in periods)) / invoices >= min_average_days
