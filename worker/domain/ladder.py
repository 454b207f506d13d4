"""The decision which step (if any) is due for one invoice now; the ladder itself is data (see `policy`)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from worker.domain.facts import InvoiceFacts
from worker.domain.holds import OnPlan, Paused, hold_for
from worker.domain.payment_plan import PlanCompleted, PlanKept
from worker.domain.policy import DEFAULT_LADDER, DEFAULT_POLICY, LadderPolicy
from worker.domain.schedule import Planned, channel_for, deadline_after, plan_steps
from worker.domain.status import InvoiceStatus
from worker.domain.step import Channel, SentStep, Step

__all__ = [
    "DEFAULT_LADDER", "Decision", "InvoiceFacts", "LadderPolicy", "NothingDue", "SentStep", "Step", "StepDue",
    "decide", "instalment_step", "step_date",
]


@dataclass(frozen=True)
class StepDue:
    """Send (or for hand-off: perform) this step now, asking for `amount`, by `deadline` if the step sets one."""

    step: Step
    channel: Channel = "email"
    amount: Decimal | None = None
    deadline: date | None = None
    ask_for_proof: bool = False  # a repeated promise was broken: ask for a copy of the transfer order


@dataclass(frozen=True)
class NothingDue:
    """No step now; `reason` explains why, `next_at` says when something may happen (if known)."""

    reason: str
    next_step: Step | None = None
    next_at: datetime | None = None


Decision = StepDue | NothingDue


def step_date(step: Step, due_date: date) -> date:
    """The calendar date a due-anchored step becomes due for an invoice."""
    return due_date + timedelta(days=step.offset_days)


def instalment_step(number: int) -> Step:
    """The reminder for instalment `number` of a payment plan (template `instalment_reminder`)."""
    return Step(f"instalment_{number}", 0, "instalment_reminder", tone="friendly")


def decide(facts: InvoiceFacts, now: datetime, policy: LadderPolicy = DEFAULT_POLICY) -> Decision:
    """Return the step due now for this invoice, or why nothing is due.

    Steps never go backwards. With `policy.skip_missed` an invoice that arrives late starts at the
    highest step already due and never gets the ones it skipped; otherwise it takes the steps after
    the due date in order, one per minimum gap.
    """
    if facts.status is not InvoiceStatus.OPEN:
        return NothingDue(f"invoice is {facts.status.value}")
    if facts.open_amount <= 0:
        return NothingDue("nothing left to pay")
    today = policy.window.local_date(now)
    hold = hold_for(facts, today, policy)
    if isinstance(hold, Paused):
        return NothingDue(hold.reason, None, earliest_send(facts, policy, policy.window.start_of(hold.until)))
    if isinstance(hold, OnPlan):
        return _plan_decision(hold.state, facts, now, policy)
    planned = plan_steps(facts, policy, hold.resume_on)
    sent_indexes = [i for i, p in enumerate(planned) if p.sent]
    remaining = [p for p in planned[max(sent_indexes) + 1 if sent_indexes else 0:] if p.on is not None]
    if not remaining:
        return NothingDue("every step of the ladder has been taken")
    passed = [p for p in remaining if p.on is not None and p.on <= today]
    if not passed:
        upcoming = min(remaining, key=lambda p: p.on or date.max)
        assert upcoming.on is not None
        return NothingDue("next step not due yet", upcoming.step,
                          earliest_send(facts, policy, policy.window.start_of(upcoming.on)))
    chosen = _choose(passed, planned, facts, today, policy)
    if chosen is None:
        return NothingDue("no letter step is due yet")
    ask = facts.promises >= 2 and hold.resume_on is not None and facts.promise_until is not None
    return _gate(chosen, facts, now, policy, ask_for_proof=ask)


def _choose(passed: list[Planned], planned: tuple[Planned, ...], facts: InvoiceFacts, today: date,
            policy: LadderPolicy) -> Step | None:
    if policy.skip_missed:
        step = passed[-1].step
    else:
        # pre-due steps ("falls due soon") make no sense once the due date has passed
        useful = [p for p in passed if not (today > facts.due_date and _before_due(p, facts))]
        if not useful:
            return None  # only pre-due steps have passed and the invoice is overdue: wait for the next real one
        step = useful[0].step
    index = policy.steps.index(step)
    if step.template is None and index > 0 and not planned[index - 1].sent:
        # Never hand off an invoice whose debtor has not had the last letter yet: send that first.
        letters = [p.step for p in passed if p.step.template is not None]
        return letters[-1] if letters else None
    return step


def _before_due(p: Planned, facts: InvoiceFacts) -> bool:
    """A step meant for before the due date (an arrival check, a courtesy note), wherever a pause moved it."""
    if p.step.before_due:
        return True
    return p.on is not None and p.on < facts.due_date


def _last_message(facts: InvoiceFacts) -> datetime | None:
    return max((t for t in (facts.last_message_at, facts.debtor_last_message_at) if t is not None), default=None)


def earliest_send(facts: InvoiceFacts, policy: LadderPolicy, not_before: datetime) -> datetime:
    """The first moment from `not_before` on at which the tick would really send: the minimum gap after our
    last message to the debtor has passed and the sending window is open (a Sunday is never the answer)."""
    last = _last_message(facts)
    moment = max(not_before, last + policy.min_gap) if last is not None else not_before
    return policy.window.next_opening(moment)


def _gate(step: Step, facts: InvoiceFacts, now: datetime, policy: LadderPolicy, ask_for_proof: bool = False
          ) -> Decision:
    """The checks every message passes: the minimum gap per debtor, then the sending window."""
    last = _last_message(facts)
    if last is not None and now - last < policy.min_gap:
        return NothingDue("too soon after the previous message", step, earliest_send(facts, policy, now))
    if step.template is not None and not policy.window.is_open(now):
        return NothingDue("outside the sending window", step, policy.window.next_opening(now))
    today = policy.window.local_date(now)
    return StepDue(step, channel_for(step, facts), facts.open_amount,
                   deadline_after(step, today, facts, policy), ask_for_proof)


def _plan_decision(state: PlanKept | PlanCompleted, facts: InvoiceFacts, now: datetime,
                   policy: LadderPolicy) -> Decision:
    if isinstance(state, PlanCompleted):
        return NothingDue("every instalment of the payment plan is paid; waiting for the payment to be booked")
    step = instalment_step(state.number)
    notice_on = state.instalment.due_date - timedelta(days=policy.instalment_notice_days)
    about = f"payment plan kept: instalment {state.number} ({state.still_to_pay}) due {state.instalment.due_date}"
    if step.name in facts.sent_steps:
        return NothingDue(f"{about}; its reminder has been sent")
    if policy.window.local_date(now) < notice_on:
        return NothingDue(about, step, earliest_send(facts, policy, policy.window.start_of(notice_on)))
    decision = _gate(step, facts, now, policy)
    if isinstance(decision, StepDue):
        return StepDue(step, decision.channel, state.still_to_pay, state.instalment.due_date)
    return decision
