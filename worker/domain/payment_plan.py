"""A payment plan: instalments with due dates, and whether the debtor is keeping it."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal


@dataclass(frozen=True)
class Instalment:
    due_date: date
    amount: Decimal


@dataclass(frozen=True)
class PaymentPlan:
    """Instalments agreed with the debtor; `paid` is what has come in towards the plan so far."""

    instalments: tuple[Instalment, ...]
    paid: Decimal = Decimal("0")


@dataclass(frozen=True)
class PlanKept:
    """The plan runs; instalment `number` (1-based) is the next one not yet covered."""

    number: int
    instalment: Instalment
    still_to_pay: Decimal


@dataclass(frozen=True)
class PlanBroken:
    """Instalment `number` was missed; the ladder resumes on `resume_on`."""

    number: int
    instalment: Instalment
    resume_on: date


@dataclass(frozen=True)
class PlanCompleted:
    """Every instalment is covered."""


PlanState = PlanKept | PlanBroken | PlanCompleted


def plan_state(plan: PaymentPlan, today: date, grace_days: int) -> PlanState:
    """Instalments are covered in order by the total paid; one unpaid `grace_days` after its due date breaks it."""
    covered = Decimal("0")
    for number, instalment in enumerate(plan.instalments, start=1):
        covered += instalment.amount
        if plan.paid >= covered:
            continue
        last_day = instalment.due_date + timedelta(days=grace_days)
        if today > last_day:
            return PlanBroken(number, instalment, last_day + timedelta(days=1))
        return PlanKept(number, instalment, covered - plan.paid)
    return PlanCompleted()
