"""One message per debtor per step, covering every invoice of that debtor due for that step."""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from worker.domain.facts import InvoiceFacts
from worker.domain.ladder import NothingDue, StepDue, decide
from worker.domain.policy import DEFAULT_POLICY, LadderPolicy
from worker.domain.step import Channel, Step


@dataclass(frozen=True)
class DebtorInvoice:
    """One invoice of a debtor, with the policy (segment ladder) that debtor is on."""

    debtor_id: int
    invoice_id: int
    facts: InvoiceFacts
    policy: LadderPolicy = DEFAULT_POLICY


@dataclass(frozen=True)
class MessageGroup:
    """One message (or for hand-off: one action) for `step` about `invoice_ids`, asking for `total`."""

    debtor_id: int
    step: Step
    invoice_ids: tuple[int, ...]
    channel: Channel
    total: Decimal
    deadline: date | None
    ask_for_proof: bool


@dataclass(frozen=True)
class Held:
    """A step that is due but waits: another message goes to this debtor now, and the minimum gap applies."""

    debtor_id: int
    invoice_id: int
    step: Step
    reason: str


@dataclass(frozen=True)
class Batch:
    messages: tuple[MessageGroup, ...]
    handoffs: tuple[MessageGroup, ...]
    held: tuple[Held, ...]


def _rank(step: Step, policy: LadderPolicy) -> int:
    # the most advanced ladder step speaks for the debtor; instalment reminders come last
    names = [s.name for s in policy.steps]
    return names.index(step.name) if step.name in names else -1


def group_due(items: Sequence[DebtorInvoice], now: datetime, pull_forward_days: int = 2) -> Batch:
    """Decide every invoice, then group what is due per debtor and step; at most one message per debtor.

    A message also takes along the debtor's invoices whose same step would fall due within the next
    `pull_forward_days` sending days (only while that step is still before their due date, or once
    they are overdue), so two invoices a day apart do not cost the debtor two messages a gap apart.
    """
    due: dict[int, dict[str, list[tuple[DebtorInvoice, StepDue]]]] = defaultdict(lambda: defaultdict(list))
    soon: dict[int, list[tuple[DebtorInvoice, NothingDue]]] = defaultdict(list)
    for item in items:
        decision = decide(item.facts, now, item.policy)
        if isinstance(decision, StepDue):
            due[item.debtor_id][decision.step.name].append((item, decision))
        elif decision.next_step is not None and decision.next_at is not None:
            soon[item.debtor_id].append((item, decision))
    for debtor_id, candidates in soon.items():
        for item, decision in candidates:
            assert decision.next_step is not None and decision.next_at is not None
            step = decision.next_step
            if (step.name in due[debtor_id] and step.template is not None
                    and decision.next_at <= _after_sending_days(now, pull_forward_days, item.policy)
                    and _early_is_harmless(item.facts, decision.next_at, now, item.policy)):
                due[debtor_id][step.name].append((item, StepDue(step, due[debtor_id][step.name][0][1].channel,
                                                                item.facts.open_amount)))
    messages: list[MessageGroup] = []
    handoffs: list[MessageGroup] = []
    held: list[Held] = []
    for debtor_id in sorted(due):
        groups = [_group(debtor_id, members) for members in due[debtor_id].values()]
        handoffs += [g for g in groups if g.step.template is None]
        letters = sorted((g for g in groups if g.step.template is not None),
                         key=lambda g: -_rank(g.step, due[debtor_id][g.step.name][0][0].policy))
        if not letters:
            continue
        messages.append(letters[0])
        for waiting in letters[1:]:
            for invoice_id in waiting.invoice_ids:
                held.append(Held(debtor_id, invoice_id, waiting.step,
                                 f"{letters[0].step.name} goes to this debtor now; "
                                 f"{waiting.step.name} follows after the minimum gap"))
    return Batch(tuple(messages), tuple(handoffs), tuple(held))


def _group(debtor_id: int, members: list[tuple[DebtorInvoice, StepDue]]) -> MessageGroup:
    decisions = [d for _, d in members]
    return MessageGroup(
        debtor_id=debtor_id,
        step=decisions[0].step,
        invoice_ids=tuple(sorted(item.invoice_id for item, _ in members)),
        channel="letter" if any(d.channel == "letter" for d in decisions) else "email",
        total=sum((d.amount or Decimal("0") for d in decisions), Decimal("0")),
        deadline=max((d.deadline for d in decisions if d.deadline is not None), default=None),
        ask_for_proof=any(d.ask_for_proof for d in decisions),
    )


def _after_sending_days(now: datetime, days: int, policy: LadderPolicy) -> datetime:
    """The opening of the `days`-th sending day after today."""
    window = policy.window
    limit = now
    for _ in range(days):
        limit = window.next_opening(window.start_of(window.local_date(limit) + timedelta(days=1)))
    return limit


def _early_is_harmless(facts: InvoiceFacts, planned_at: datetime, now: datetime, policy: LadderPolicy) -> bool:
    # a step before the due date may come a day or two early; a step after it only once the invoice is overdue
    local = policy.window.local_date
    return local(planned_at) < facts.due_date or local(now) > facts.due_date
