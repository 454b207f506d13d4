"""The date each step of a ladder falls on for one invoice, shifted after a pause so the spacing is kept."""

from dataclasses import dataclass
from datetime import date, timedelta

from worker.domain.facts import InvoiceFacts
from worker.domain.law.fourteen_day_letter import fourteen_day_term
from worker.domain.policy import LadderPolicy
from worker.domain.step import Channel, Step


@dataclass(frozen=True)
class Planned:
    """A step and its date: the day it was sent, or the day it falls due (None: cannot be planned)."""

    step: Step
    on: date | None
    sent: bool


def channel_for(step: Step, facts: InvoiceFacts) -> Channel:
    """Paper for a debtor who is rarely online, and for a 14-day letter to a consumer without e-mail consent."""
    if facts.offline or (step.statutory_term and facts.term_letter_by_post):
        return "letter"
    return step.channel


def deadline_after(step: Step, sent_on: date, facts: InvoiceFacts, policy: LadderPolicy) -> date | None:
    """The last day a letter of this step, sent on `sent_on`, gives the debtor (None: it states no deadline)."""
    if step.statutory_term:
        return fourteen_day_term(sent_on, channel_for(step, facts), policy.country, policy.window.holidays).last_day
    if step.deadline_days is not None:
        day = sent_on + timedelta(days=step.deadline_days)
        while day.weekday() not in policy.window.weekdays or day in policy.window.holidays:
            day += timedelta(days=1)  # a deadline on a closed day moves to the next open one
        return day
    return None


def _sent_on(facts: InvoiceFacts, name: str, policy: LadderPolicy) -> date | None:
    times = [s.at for s in facts.sent_history if s.name == name]
    return policy.window.local_date(min(times)) if times else None


def plan_steps(facts: InvoiceFacts, policy: LadderPolicy, resume_on: date | None = None) -> tuple[Planned, ...]:
    """Every step of the ladder with its date.

    A sent step carries the day it went out (when known). After a pause ending on `resume_on`, the first
    step not sent before it moves to `resume_on` if it fell earlier, and every later step moves with it.
    """
    sent_before: set[str] = set()
    for name in facts.sent_steps:
        day = _sent_on(facts, name, policy)
        if resume_on is None or day is None or day < resume_on:
            sent_before.add(name)
    names = [s.name for s in policy.steps]
    first_after = max((names.index(n) + 1 for n in sent_before if n in names), default=0)
    if resume_on is not None and resume_on > facts.due_date:
        # Resuming an overdue invoice (a broken plan or promise, a pause) starts at the first step meant for
        # after the due date; the arrival check and the courtesy note stay behind, unsent.
        first_useful = next((i for i, s in enumerate(policy.steps) if not s.before_due), 0)
        first_after = max(first_after, first_useful)
    shift = timedelta(0)
    planned: list[Planned] = []
    for index, step in enumerate(policy.steps):
        sent = step.name in facts.sent_steps
        raw = _raw_date(step, index, planned, facts, policy)
        if resume_on is not None and index == first_after and raw is not None:
            shift = max(timedelta(0), resume_on - raw)
        day = _sent_on(facts, step.name, policy) if sent else None
        if day is None and raw is not None:
            # steps relative to the previous one already move with it
            moves = index >= first_after and (step.anchor != "previous" or index == first_after)
            day = raw + shift if moves else raw
        planned.append(Planned(step, day, sent))
    return tuple(planned)


def _raw_date(step: Step, index: int, earlier: list[Planned], facts: InvoiceFacts, policy: LadderPolicy) -> date | None:
    offset = timedelta(days=step.offset_days)
    if step.anchor == "issue":
        return None if facts.issue_date is None else facts.issue_date + offset
    if step.anchor == "previous" and index > 0:
        previous = next((p for p in reversed(earlier) if p.on is not None), None)
        if previous is not None:
            assert previous.on is not None
            base = deadline_after(previous.step, previous.on, facts, policy) or previous.on
            return base + offset
    return facts.due_date + offset
