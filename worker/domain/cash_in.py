"""When the money of one open invoice is expected: on its due date, on the date the debtor promised, or on the
dates of a payment plan's instalments; and the week a date falls in."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from worker.domain.payment_plan import PaymentPlan

ZERO = Decimal(0)


@dataclass(frozen=True)
class Expected:
    """`amount` expected on `on`, because of `source`: due_date | promise | plan."""

    on: date
    amount: Decimal
    source: str


def expected_payments(open_amount: Decimal, due_date: date, *, promised: date | None = None,
                      plan: PaymentPlan | None = None) -> list[Expected]:
    """What comes in when, by the latest agreement: a plan's unpaid instalments (paid amounts cover the earliest
    first), else the promised date, else the due date. A date already past stays past: the caller decides how
    to show money that is late."""
    if open_amount <= ZERO:
        return []
    if plan is not None:
        covered, left, found = ZERO, open_amount, []
        for instalment in plan.instalments:
            covered += instalment.amount
            unpaid = min(covered - plan.paid, instalment.amount, left)
            if unpaid > ZERO:
                found.append(Expected(instalment.due_date, unpaid, "plan"))
                left -= unpaid
        if left > ZERO:  # the plan covered less than is open now (a reversal since): the rest is due as agreed
            found.append(Expected(plan.instalments[-1].due_date, left, "plan"))
        return found
    if promised is not None:
        return [Expected(promised, open_amount, "promise")]
    return [Expected(due_date, open_amount, "due_date")]


def week_start(day: date) -> date:
    """The Monday of the ISO week of `day`."""
    return day - timedelta(days=day.weekday())


def week_starts(as_of: date, weeks: int) -> list[date]:
    """The Mondays of the `weeks` weeks from the one `as_of` falls in."""
    first = week_start(as_of)
    return [first + timedelta(weeks=n) for n in range(weeks)]


def period_of(on: date, as_of: date, starts: list[date]) -> str:
    """"overdue" before `as_of`, the ISO Monday of its week within the horizon, else "later"."""
    if on < as_of:
        return "overdue"
    if on >= starts[-1] + timedelta(weeks=1):
        return "later"
    return week_start(on).isoformat()
