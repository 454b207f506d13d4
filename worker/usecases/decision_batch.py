"""The ladder decision's inputs for many invoices at once, in a fixed number of set-based queries.

The one code path that builds `InvoiceFacts` and debtor policies: the tick loads a batch, explain and the send
guards load one invoice through the same functions (see `decision_inputs`).
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session, object_session

from worker.adapters.letters import debtor_law
from worker.db.models import (
    Business,
    BusinessLadder,
    Debtor,
    Invoice,
    OutboundInvoice,
    OutboundMessage,
    TimelineEvent,
)
from worker.domain.events import EventKind
from worker.domain.facts import InvoiceFacts
from worker.domain.ladder_rules import step_from_data
from worker.domain.policy import LadderPolicy
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import PaymentRecord, Segment, assess
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus
from worker.domain.step import SentStep, Step
from worker.usecases.ledger import open_amount
from worker.usecases.payment_plans import plan_from

_CHUNK = 5_000  # ids per IN list: under every driver's bound-parameter limit
_FACT_EVENTS = (EventKind.PROMISE_TO_PAY_RECORDED.value, EventKind.PAYMENT_REPORTED.value,
                EventKind.PAYMENT_PLAN_AGREED.value, EventKind.PAYMENT_RECORDED.value,
                EventKind.REVIEW_DECIDED.value)  # a reported payment finance rejected holds nothing
T = TypeVar("T")
DEFAULT_MIN_GAP_DAYS = 5  # between two messages to one debtor, unless the business set `min_gap_days`
DEFAULT_GRACE_DAYS = 3  # after a promised date or a missed instalment, unless the business set its own


def chunks(ids: Iterable[T]) -> Iterator[list[T]]:
    """Sorted ids in slices of at most `_CHUNK`."""
    ordered = sorted(set(ids))  # type: ignore[type-var]
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start:start + _CHUNK]


@dataclass(frozen=True)
class LastPayment:
    """The last recorded payment of an invoice: the day it was paid and when we recorded it."""

    paid_on: date
    at: datetime


@dataclass
class InvoiceEvents:
    """The timeline events of one invoice the decision reads, oldest first."""

    promises: list[dict[str, Any]]
    reported: list[dict[str, Any]]
    plans: list[dict[str, Any]]
    payments: list[tuple[dict[str, Any], datetime]]


def events_for(session: Session, invoice_ids: Iterable[int]) -> dict[int, InvoiceEvents]:
    """Promises, reported payments, plans and recorded payments per invoice, in one query per chunk."""
    found: dict[int, InvoiceEvents] = defaultdict(lambda: InvoiceEvents([], [], [], []))
    for ids in chunks(invoice_ids):
        rows = session.execute(select(TimelineEvent.invoice_id, TimelineEvent.kind, TimelineEvent.data,
                                      TimelineEvent.at, TimelineEvent.id)
                               .where(TimelineEvent.invoice_id.in_(ids), TimelineEvent.kind.in_(_FACT_EVENTS))
                               .order_by(TimelineEvent.at, TimelineEvent.id)).all()
        rejected = {data.get("event_id") for _, kind, data, _, _ in rows
                    if kind == EventKind.REVIEW_DECIDED.value and data.get("action") == "reject_payment"}
        for invoice_id, kind, data, at, event_id in rows:
            events = found[invoice_id]
            if kind == EventKind.PROMISE_TO_PAY_RECORDED.value:
                events.promises.append(data)
            elif kind == EventKind.PAYMENT_REPORTED.value:
                if event_id not in rejected:
                    events.reported.append(data)
            elif kind == EventKind.REVIEW_DECIDED.value:
                continue
            elif kind == EventKind.PAYMENT_PLAN_AGREED.value:
                events.plans.append(data)
            else:
                events.payments.append((data, at))
    return found


def last_payment(events: InvoiceEvents | None) -> LastPayment | None:
    if events is None or not events.payments:
        return None
    data, at = events.payments[-1]
    return LastPayment(date.fromisoformat(data["paid_on"]), at)


def facts_for(session: Session, invoices: Sequence[Invoice], debtors: dict[int, Debtor],
              events: dict[int, InvoiceEvents] | None = None) -> dict[int, InvoiceFacts]:
    """The decision's inputs per invoice (with a due date), derived from the outbox and the timeline (never from
    mutable counters): three queries per chunk, whatever the number of invoices."""
    ids = [i.id for i in invoices]
    sent: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    debtor_last: dict[int | None, datetime] = {}
    for chunk in chunks(ids):
        for invoice_id, step, at in session.execute(
                select(OutboundInvoice.invoice_id, OutboundInvoice.step, OutboundMessage.created_at)
                .join(OutboundMessage, OutboundMessage.id == OutboundInvoice.outbound_message_id)
                .where(OutboundInvoice.invoice_id.in_(chunk), OutboundMessage.status != "rerouted")
                .order_by(OutboundMessage.created_at)):
            sent[invoice_id].append((step, at))
    # A message every recipient refused reached nobody: it neither takes its step nor starts the minimum gap.
    for chunk in chunks(i.debtor_id for i in invoices):
        debtor_last.update((debtor_id, at) for debtor_id, at in session.execute(
            select(OutboundMessage.debtor_id, func.max(OutboundMessage.created_at))
            .where(OutboundMessage.debtor_id.in_(chunk),
                   OutboundMessage.status.not_in(("cancelled", "rerouted")))  # never went out
            .group_by(OutboundMessage.debtor_id)).all())
    if events is None:
        events = events_for(session, ids)
    facts = {}
    for invoice in invoices:
        if invoice.due_date is None:
            continue
        debtor = debtors[invoice.debtor_id]
        own = events.get(invoice.id) or InvoiceEvents([], [], [], [])
        history = sent.get(invoice.id, [])
        facts[invoice.id] = InvoiceFacts(
            status=InvoiceStatus(invoice.status),
            due_date=invoice.due_date,
            open_amount=open_amount(invoice),
            sent_steps=frozenset(step for step, _ in history),
            last_message_at=max((at for _, at in history), default=None),
            issue_date=invoice.issue_date,
            sent_history=tuple(SentStep(step, at) for step, at in history),
            debtor_last_message_at=debtor_last.get(invoice.debtor_id),
            # No address left that takes mail (contact refused, no general address): paper.
            offline=debtor.offline or (debtor.contact_undeliverable and not debtor.general_email),
            promise_until=date.fromisoformat(own.promises[-1]["promised_date"]) if own.promises else None,
            promises=len(own.promises),
            # A payment the debtor reported holds the ladder until its grace period ends (never books money).
            paused_until=max((date.fromisoformat(r["hold_until"]) for r in own.reported if r.get("hold_until")),
                             default=None),
            plan=plan_from(own.plans[-1] if own.plans else None, invoice),
            term_letter_by_post=bool(debtor.is_consumer) and not debtor.email_consent,
        )
    return facts


def histories_for(session: Session, today_by_debtor: dict[int, date]) -> dict[int, list[PaymentRecord]]:
    """Due and paid dates of each debtor's invoices (the paid date from the last recorded payment; `today` in
    the debtor's business's zone when none was recorded)."""
    rows: list[Any] = []
    for chunk in chunks(today_by_debtor):
        rows += session.execute(select(Invoice.id, Invoice.debtor_id, Invoice.due_date, Invoice.status)
                                .where(Invoice.debtor_id.in_(chunk), Invoice.due_date.is_not(None))
                                .order_by(Invoice.id)).all()
    paid = [invoice_id for invoice_id, _, _, status in rows if status == InvoiceStatus.PAID.value]
    payments = _last_payments(session, paid)
    histories: dict[int, list[PaymentRecord]] = defaultdict(list)
    for invoice_id, debtor_id, due_date, status in rows:
        paid_on = None
        if status == InvoiceStatus.PAID.value:
            last = payments.get(invoice_id)
            paid_on = last.paid_on if last else today_by_debtor[debtor_id]
        histories[debtor_id].append(PaymentRecord(due_date, paid_on))
    return histories


def _last_payments(session: Session, invoice_ids: Sequence[int]) -> dict[int, LastPayment]:
    found: dict[int, LastPayment] = {}
    for chunk in chunks(invoice_ids):
        for invoice_id, data, at in session.execute(
                select(TimelineEvent.invoice_id, TimelineEvent.data, TimelineEvent.at)
                .where(TimelineEvent.invoice_id.in_(chunk), TimelineEvent.kind == EventKind.PAYMENT_RECORDED.value)
                .order_by(TimelineEvent.at, TimelineEvent.id)):
            found[invoice_id] = LastPayment(date.fromisoformat(data["paid_on"]), at)
    return found


def latest_invoices(session: Session, debtor_ids: Iterable[int]) -> dict[int, Invoice]:
    """Each debtor's newest invoice (its buyer country feeds `debtor_law`)."""
    found: dict[int, Invoice] = {}
    for chunk in chunks(debtor_ids):
        newest = select(func.max(Invoice.id)).where(Invoice.debtor_id.in_(chunk)).group_by(Invoice.debtor_id)
        found.update((i.debtor_id, i) for i in session.scalars(select(Invoice).where(Invoice.id.in_(newest))))
    return found


@dataclass(frozen=True)
class LadderKey:
    """Which ladder a debtor is on: its segment, business or consumer regime, and the country whose law counts."""

    segment: Segment
    consumer: bool  # the consumer ladder: a 14-day letter before any cost
    country: str

    @property
    def debtor_kind(self) -> str:
        return "consumer" if self.consumer else "business"


def ladder_keys_for(business: Business, debtors: Iterable[Debtor], today: date,
                    histories: dict[int, list[PaymentRecord]], latest: dict[int, Invoice]) -> dict[int, LadderKey]:
    """Each debtor's segment, computed from its payment history (due vs. paid dates), and its law (see
    `worker.domain.letter_plan.law_country`).

    A consumer gets the consumer ladder (the NL 14-dagenbrief, the BE free first reminder) only when the
    business charges collection costs: that letter exists to make those costs chargeable.
    """
    keys = {}
    for debtor in debtors:
        segment = assess(histories.get(debtor.id, []), today).segment
        law = debtor_law(business, debtor, [latest[debtor.id]] if debtor.id in latest else [])
        keys[debtor.id] = LadderKey(segment, law.needs_term_letter, law.country)
    return keys


def own_ladders(session: Session, business_id: int) -> dict[tuple[str, str], tuple[Step, ...]]:
    """The ladders the business set itself, by (segment, debtor kind); the others are the built-in ones."""
    rows = session.execute(select(BusinessLadder.segment, BusinessLadder.debtor_kind, BusinessLadder.steps)
                           .where(BusinessLadder.business_id == business_id))
    return {(segment, kind): tuple(step_from_data(s) for s in steps) for segment, kind, steps in rows}


def tuned_policy(business: Business, key: LadderKey, window: SendingWindow,
                 own: dict[tuple[str, str], tuple[Step, ...]]) -> LadderPolicy:
    """The policy for a ladder key under the business's own ladder (if any), minimum gap and grace periods."""
    def days(name: str, default: int) -> int:
        value = business.settings.get(name)
        return default if value is None else int(value)

    return policy_for(key.segment, key.consumer, window, key.country,
                      min_gap=timedelta(days=days("min_gap_days", DEFAULT_MIN_GAP_DAYS)),
                      steps=own.get((key.segment.value, key.debtor_kind)),
                      promise_grace_days=days("promise_grace_days", DEFAULT_GRACE_DAYS),
                      plan_grace_days=days("plan_grace_days", DEFAULT_GRACE_DAYS))


def policies_for(business: Business, debtors: Iterable[Debtor], window: SendingWindow, today: date,
                 histories: dict[int, list[PaymentRecord]], latest: dict[int, Invoice]) -> dict[int, LadderPolicy]:
    """The ladder for each debtor's segment and law (see `ladder_keys_for`): the business's own for that segment
    and kind of debtor when it set one (one query per call, so per business in a tick batch), else built in."""
    session = object_session(business)  # the business row is always loaded in the caller's session
    own = own_ladders(session, business.id) if session is not None else {}
    keys = ladder_keys_for(business, debtors, today, histories, latest)
    return {debtor_id: tuned_policy(business, key, window, own) for debtor_id, key in keys.items()}
