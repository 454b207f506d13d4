"""Days sales outstanding by the count-back method: how many days of the latest sales the receivables equal."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal(0)
TENTH = Decimal("0.1")


@dataclass(frozen=True)
class SalesPeriod:
    """Invoiced in [start, end] (both days included)."""

    start: date
    end: date
    sales: Decimal

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class CountBack:
    """The DSO and how it was reached: `used` lists (period, days counted); `exhausted` when the receivables are
    more than every period's sales together (the DSO is then at least `days`)."""

    days: Decimal
    used: tuple[tuple[SalesPeriod, Decimal], ...]
    exhausted: bool


def month_periods(as_of: date, count: int) -> list[SalesPeriod]:
    """The month so far (1st up to `as_of`) and the `count - 1` whole calendar months before it, newest first,
    without sales (fill them with `with_sales`)."""
    periods, end = [], as_of
    for _ in range(count):
        start = end.replace(day=1)
        periods.append(SalesPeriod(start, end, ZERO))
        end = start - timedelta(days=1)
    return periods


def count_back(receivables: Decimal, periods: list[SalesPeriod]) -> CountBack:
    """The count-back DSO of `receivables` against `periods` (newest first).

    Walk back from the newest period: while the receivables left are more than the period's sales, take the
    sales off and count the period's days in full; in the period where they run out, count the share of its
    days that the rest is of its sales. Worked example (as of 15 March, receivables 25 000):

    - 1-15 March, 15 days, sales 10 000: 15 000 left, 15 days;
    - February, 28 days, sales 12 000: 3 000 left, 15 + 28 = 43 days;
    - January, 31 days, sales 6 200: 3 000 / 6 200 of 31 days = 15 days, so the DSO is 43 + 15 = 58 days.

    Unlike "receivables / sales x days", a month of high sales does not hide that older invoices stay unpaid.
    """
    left, days, used = receivables, ZERO, []
    for period in periods:
        if left <= ZERO:
            break
        if period.sales >= left:
            part = Decimal(period.days) * left / period.sales
            used.append((period, part))
            days += part
            left = ZERO
            break
        used.append((period, Decimal(period.days)))
        days += period.days
        left -= period.sales
    rounded = days.quantize(TENTH, rounding=ROUND_HALF_UP)
    return CountBack(rounded, tuple((p, d.quantize(TENTH, rounding=ROUND_HALF_UP)) for p, d in used), left > ZERO)
