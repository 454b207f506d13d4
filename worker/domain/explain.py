"""Say, in plain English, what the ladder will do next for an invoice and why it did or did not send."""

from dataclasses import dataclass
from datetime import date, datetime

from worker.domain.facts import InvoiceFacts
from worker.domain.holds import OnPlan, Paused, Running, hold_for
from worker.domain.ladder import Decision, NothingDue, StepDue, decide
from worker.domain.policy import DEFAULT_POLICY, LadderPolicy
from worker.domain.schedule import plan_steps
from worker.domain.status import InvoiceStatus


@dataclass(frozen=True)
class StepLine:
    """One step of the ladder for this invoice: `state` is sent, skipped, due now, planned or not planned."""

    name: str
    on: date | None
    state: str


@dataclass(frozen=True)
class Explanation:
    decision: Decision
    next_step: str | None
    next_at: datetime | None
    reasons: tuple[str, ...]
    steps: tuple[StepLine, ...]
    summary: str = ""  # the whole answer in one sentence

    def text(self) -> str:
        return "\n".join(self.reasons)


def spoken(at: datetime, zone) -> str:  # type: ignore[no-untyped-def]
    """`Monday 8 February 2027 at 08:00`, in `zone`."""
    local = at.astimezone(zone)
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}"


def _moment(at: datetime, policy: LadderPolicy) -> str:
    return f"{spoken(at, policy.window.zone)} ({policy.window.timezone})"


def summarise(decision: Decision, next_step: str | None, next_at: datetime | None, policy: LadderPolicy) -> str:
    """One sentence a clerk can read aloud: what goes out now, or why nothing does and what comes next."""
    if isinstance(decision, StepDue):
        if decision.step.template is None:
            return "Now the invoice is handed to a person: every letter of the ladder has gone out unanswered."
        deadline = f", to be paid by {decision.deadline.isoformat()}" if decision.deadline else ""
        return (f"Now the {decision.step.name.replace('_', ' ')} goes out {_recipients(decision)}, asking for "
                f"{decision.amount}{deadline}.")
    sentence = f"Nothing goes out now because {decision.reason}"
    if next_step is not None and next_at is not None:
        return f"{sentence}; the {next_step.replace('_', ' ')} follows on {_moment(next_at, policy)} at the earliest."
    if next_at is not None:
        return f"{sentence}; follow-up may resume on {_moment(next_at, policy)}."
    return f"{sentence}."


def _recipients(decision: StepDue) -> str:
    if decision.step.template is None:
        return "no message: the invoice goes to a person or collection agency"
    how = "as a printed letter" if decision.channel == "letter" else "by e-mail"
    who = ("to the debtor's general address with the contact person in CC" if decision.step.to_general_address
           else "to the contact person")
    return f"{how} {who}"


def explain(facts: InvoiceFacts, now: datetime, policy: LadderPolicy = DEFAULT_POLICY) -> Explanation:
    """The decision `decide` takes now, with the reasons behind it and the whole ladder's dates."""
    decision = decide(facts, now, policy)
    today = policy.window.local_date(now)
    reasons: list[str] = []
    if facts.status is not InvoiceStatus.OPEN:
        reasons.append(f"The invoice is {facts.status.value.replace('_', ' ')}, so no reminder is sent for it.")
    elif facts.open_amount <= 0:
        reasons.append("Nothing is left to pay, so no reminder is sent.")
    else:
        reasons.append(f"The invoice is open with {facts.open_amount} still to pay; "
                       f"it fell due on {facts.due_date.isoformat()}.")
    hold = hold_for(facts, today, policy)
    resume_on = hold.resume_on if isinstance(hold, Running) else None
    if isinstance(hold, Paused):
        reasons.append(f"Reminders are paused: {hold.reason}.")
    elif isinstance(hold, OnPlan):
        reasons.append("A payment plan is being kept, so instalment reminders replace the ladder.")
    else:
        reasons += [f"{note[0].upper()}{note[1:]}." for note in hold.notes]
    planned = plan_steps(facts, policy, resume_on)
    last_sent = max((i for i, p in enumerate(planned) if p.sent), default=-1)
    lines = []
    for index, p in enumerate(planned):
        when = p.on.isoformat() if p.on else "an unknown date"
        if p.sent:
            state, line = "sent", f"{p.step.name} was {'sent' if p.step.template else 'done'} on {when}."
        elif index < last_sent:
            state, line = "skipped", f"{p.step.name} was skipped: a later step had already fallen due."
        elif isinstance(decision, StepDue) and decision.step.name == p.step.name:
            state, line = "due now", None
        elif p.on is None:
            state, line = "not planned", f"{p.step.name} cannot be planned: the invoice date is unknown."
        else:
            state, line = "planned", None
        lines.append(StepLine(p.step.name, p.on, state))
        if line:
            reasons.append(line)
    if isinstance(decision, StepDue):
        extra = f", with a deadline of {decision.deadline.isoformat()}" if decision.deadline else ""
        reasons.append(f"{decision.step.name} is due now: it goes {_recipients(decision)}, in a "
                       f"{decision.step.tone} tone, asking for {decision.amount}{extra}.")
        if decision.ask_for_proof:
            reasons.append("The debtor has promised more than once: the message asks for a copy of the transfer.")
        return Explanation(decision, decision.step.name, now, tuple(reasons), tuple(lines),
                           summarise(decision, decision.step.name, now, policy))
    assert isinstance(decision, NothingDue)
    nothing = f"Nothing is sent now: {decision.reason}."
    if decision.next_step is not None and decision.next_at is not None:
        nothing += f" Next: {decision.next_step.name} at {decision.next_at.isoformat()}."
    elif decision.next_at is not None:
        nothing += f" Follow-up may resume at {decision.next_at.isoformat()}."
    reasons.append(nothing)
    next_step = decision.next_step.name if decision.next_step else None
    return Explanation(decision, next_step, decision.next_at, tuple(reasons), tuple(lines),
                       summarise(decision, next_step, decision.next_at, policy))
