"""The dunning ladder as data, and the decision which step (if any) is due for one invoice."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus


@dataclass(frozen=True)
class Step:
    """One rung: when it is due (days relative to the due date), which letter, and to whom."""

    name: str
    offset_days: int
    template: str | None  # None: no letter, the invoice is handed to a person
    to_general_address: bool = False  # the general address with the contact in CC


DEFAULT_LADDER: tuple[Step, ...] = (
    Step("courtesy", -3, "courtesy"),
    Step("reminder", 1, "reminder"),
    Step("firm_reminder", 14, "firm_reminder"),
    Step("last_reminder", 28, "last_reminder", to_general_address=True),
    Step("handoff", 35, None),
)


@dataclass(frozen=True)
class InvoiceFacts:
    """What the decision needs to know about one invoice; built from the database by the caller."""

    status: InvoiceStatus
    due_date: date
    open_amount: Decimal
    sent_steps: frozenset[str]
    last_message_at: datetime | None  # our last message to this debtor about this invoice


@dataclass(frozen=True)
class StepDue:
    """Send (or for hand-off: perform) this step now."""

    step: Step


@dataclass(frozen=True)
class NothingDue:
    """No step now; `reason` explains why, `next_at` says when something may happen (if known)."""

    reason: str
    next_step: Step | None = None
    next_at: datetime | None = None


Decision = StepDue | NothingDue


@dataclass(frozen=True)
class LadderPolicy:
    """The ladder plus the rules around it that a business may tune."""

    steps: tuple[Step, ...] = DEFAULT_LADDER
    window: SendingWindow = SendingWindow()
    min_gap: timedelta = timedelta(days=5)


def step_date(step: Step, due_date: date) -> date:
    """The calendar date a step becomes due for an invoice."""
    return due_date + timedelta(days=step.offset_days)


def decide(facts: InvoiceFacts, now: datetime, policy: LadderPolicy = LadderPolicy()) -> Decision:
    """Return the step due now for this invoice, or why nothing is due.

    Steps never go backwards: an invoice that arrives late starts at the highest step already due,
    and the lower ones it skipped are never sent afterwards.
    """
    if facts.status is not InvoiceStatus.OPEN:
        return NothingDue(f"invoice is {facts.status.value}")
    if facts.open_amount <= 0:
        return NothingDue("nothing left to pay")
    sent_indexes = [i for i, s in enumerate(policy.steps) if s.name in facts.sent_steps]
    start = max(sent_indexes) + 1 if sent_indexes else 0
    remaining = policy.steps[start:]
    if not remaining:
        return NothingDue("every step of the ladder has been taken")
    today = policy.window.local_date(now)
    passed = [s for s in remaining if step_date(s, facts.due_date) <= today]
    if not passed:
        upcoming = remaining[0]
        return NothingDue(
            "next step not due yet",
            upcoming,
            policy.window.next_opening(policy.window.start_of(step_date(upcoming, facts.due_date))),
        )
    step = passed[-1]
    if step.template is None and policy.steps[policy.steps.index(step) - 1].name not in facts.sent_steps:
        # Never hand off an invoice whose debtor has not had the last letter yet: send that first.
        letters = [s for s in passed if s.template is not None]
        if not letters:
            return NothingDue("no letter step is due yet")
        step = letters[-1]
    if facts.last_message_at is not None and now - facts.last_message_at < policy.min_gap:
        return NothingDue(
            "too soon after the previous message", step, facts.last_message_at + policy.min_gap
        )
    if step.template is not None and not policy.window.is_open(now):
        return NothingDue("outside the sending window", step, policy.window.next_opening(now))
    return StepDue(step)
