"""What holds the ladder back for one invoice: a promise to pay, a pause, or a payment plan."""

from dataclasses import dataclass
from datetime import date, timedelta

from worker.domain.facts import InvoiceFacts
from worker.domain.payment_plan import PlanBroken, PlanCompleted, PlanKept, plan_state
from worker.domain.policy import LadderPolicy


@dataclass(frozen=True)
class Paused:
    """Nothing goes out before `until`."""

    reason: str
    until: date


@dataclass(frozen=True)
class OnPlan:
    """A payment plan is being kept: instalment reminders replace the ladder."""

    state: PlanKept | PlanCompleted


@dataclass(frozen=True)
class Running:
    """The ladder runs; after a pause it resumes on `resume_on`, keeping the spacing of its steps."""

    resume_on: date | None
    notes: tuple[str, ...] = ()


Hold = Paused | OnPlan | Running


def hold_for(facts: InvoiceFacts, today: date, policy: LadderPolicy) -> Hold:
    """Check promise, pause and plan in that order; the latest resume date wins."""
    resumes: list[date] = []
    notes: list[str] = []
    if facts.promise_until is not None:
        resume = facts.promise_until + timedelta(days=policy.promise_grace_days + 1)
        if today < resume:
            reason = (f"the debtor promised to pay by {facts.promise_until.isoformat()}; "
                      f"reminders wait {policy.promise_grace_days} days' grace, until {resume.isoformat()}")
            if facts.promises >= 2:
                reason += "; this is a repeated promise, so the next message asks for a copy of the transfer"
            return Paused(reason, resume)
        resumes.append(resume)
        notes.append(f"the promise to pay by {facts.promise_until.isoformat()} was not kept")
    if facts.paused_until is not None:
        if today < facts.paused_until:
            return Paused(f"paused until {facts.paused_until.isoformat()}", facts.paused_until)
        resumes.append(facts.paused_until)
    if facts.plan is not None:
        state = plan_state(facts.plan, today, policy.plan_grace_days)
        if isinstance(state, PlanBroken):
            resumes.append(state.resume_on)
            notes.append(f"instalment {state.number} due {state.instalment.due_date.isoformat()} was missed, "
                         "so the payment plan ended and the ladder resumed")
        else:
            return OnPlan(state)
    return Running(max(resumes, default=None), tuple(notes))
