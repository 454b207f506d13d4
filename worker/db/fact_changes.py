"""Mark invoices for a new decision whenever a fact their decision reads changes, in the same transaction.

One mechanism instead of a hook in every use case: after each flush, the new, changed and deleted rows are
sorted by what they are facts about. An invoice row the flush itself changed gets `next_action_at = RECOMPUTE`
(far in the past) at once: the transaction holds that row already. Every other invoice concerned (a debtor's,
a business's, the invoice of a new event) gets a wake row instead, one INSERT per flush: an insert waits on no
invoice row lock, so a change cannot deadlock with the tick or with another change. The tick's claim turns the
wakes into marks (`apply_wakes`) before it selects what is due, so the next tick decides them again.

What counts (kept complete by tests/unit/worker/test_fact_changes.py, which fails on an unclassified model or
column):

- an invoice's own row (status, amounts, dates, ...): that invoice, and every open invoice of its debtor (its
  status and dates are the debtor's payment history, which picks the ladder; a new one may change the law);
- a debtor (offline, consent, consumer, undeliverable contact, country, language...): its open invoices;
- an outbox row added or changed (sent, cancelled, rerouted): the minimum gap of its debtor, so its debtor's
  open invoices, and its first invoice; an (invoice, step) link: that invoice (a sent or freed step);
- a timeline event (promise, reported payment, plan, payment, dispute, reply...): its invoice, else its debtor;
- a payment: its invoice (the paid amount on the invoice row changes with it too);
- a business's settings or time zone: all its open and paid invoices, in one UPDATE;
- a business's own ladder (added, changed, removed): all its open and paid invoices, like its settings.

Changes that touch only `next_action_at` (what the tick itself writes) never mark: else the tick would wake
itself for ever. Core UPDATE/DELETE statements bypass this listener: the few in the code base touch no fact
alone (the send claim, a notice's re-render) or come with an ORM change that marks (a cancelled row).
"""

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, delete, event, insert, inspect, or_, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from worker.db.import_models import InvoiceImport, InvoiceImportLine
from worker.db.models import (
    RECOMPUTE,
    ApiKey,
    BankAllocation,
    BankStatementImport,
    BankTransaction,
    Base,
    Business,
    BusinessLadder,
    Debtor,
    IdempotencyKey,
    InboundMessage,
    Invoice,
    LetterTemplate,
    MailboxState,
    NextActionWake,
    NoticeItem,
    OutboundDelivery,
    OutboundInvoice,
    OutboundMessage,
    Payment,
    TimelineEvent,
)
from worker.db.webhook_models import Webhook, WebhookDelivery

# Per fact model, the columns a decision reads (a change marks) and those it never reads; every column is in one.
FACT_COLUMNS: dict[type[Base], frozenset[str]] = {
    Invoice: frozenset({"id", "business_id", "debtor_id", "number", "issue_date", "due_date", "currency",
                        "amount_due", "amount_paid", "status", "created_at"}),
    Debtor: frozenset({"id", "business_id", "contact_email", "general_email", "contact_undeliverable", "language",
                       "is_consumer", "offline", "country", "email_consent"}),
    Business: frozenset({"id", "timezone", "settings"}),
    OutboundMessage: frozenset({"id", "business_id", "debtor_id", "invoice_id", "step", "message_id", "status",
                                "created_at"}),
    OutboundInvoice: frozenset({"id", "outbound_message_id", "invoice_id", "step"}),
    TimelineEvent: frozenset({"id", "business_id", "invoice_id", "debtor_id", "kind", "at", "data",
                              "inbound_message_id", "outbound_message_id"}),
    Payment: frozenset({"id", "business_id", "invoice_id", "kind", "reverses_id", "amount", "credit", "paid_on",
                        "source", "note", "who", "created_at"}),
    BusinessLadder: frozenset({"id", "business_id", "segment", "debtor_kind", "steps"}),
}
NOT_FACT_COLUMNS: dict[type[Base], frozenset[str]] = {
    # next_action_at is what the tick writes: it must never mark, or the tick would wake itself for ever.
    Invoice: frozenset({"next_action_at", "reply_token", "parsed", "source_message_id", "status_reason",
                        "payment_reference"}),
    Debtor: frozenset({"name", "contact_name", "letter_tone", "address", "created_at", "erased_at"}),
    Business: frozenset({"name", "sender_allowlist", "ingest_address", "retired_ingest_addresses", "from_address",
                         "from_name", "iban", "language", "api_key_hash", "created_at"}),
    OutboundMessage: frozenset({"to_addresses", "cc_addresses", "subject", "raw", "attempts", "claimed_at",
                                "last_error", "sent_at", "next_attempt_at", "escalated_at", "queue_id",
                                # rendering shapes the letter; a failed one cancels the row (status marks)
                                "render_context", "rendered_at"}),
    OutboundInvoice: frozenset(),
    TimelineEvent: frozenset(),
    Payment: frozenset(),
    BusinessLadder: frozenset({"updated_at", "updated_by"}),
}
# Rows no decision reads (mail in, keys, templates: they shape a letter, not whether it is due; bank lines
# become payments, which count; delivery outcomes reach decisions through the debtor and the outbox row).
NOT_FACT_MODELS: frozenset[type[Base]] = frozenset({
    InboundMessage, MailboxState, ApiKey, LetterTemplate, IdempotencyKey, BankStatementImport, BankTransaction,
    BankAllocation, OutboundDelivery, NoticeItem, NextActionWake,
    # an import's invoices are Invoice rows (facts); webhooks only tell of facts, they decide nothing
    InvoiceImport, InvoiceImportLine, Webhook, WebhookDelivery,
})
_OPEN_OR_PAID = ("open", "paid")


@dataclass
class _Marks:
    own: set[int] = field(default_factory=set)  # invoice rows this transaction changed (and so holds locked)
    invoices: set[int] = field(default_factory=set)
    debtors: set[int] = field(default_factory=set)
    businesses: set[int] = field(default_factory=set)


def _changed(obj: Any, new: bool) -> bool:
    """A new or deleted row always counts; a changed one when a fact column changed."""
    if new:
        return True
    state = inspect(obj)
    return any(state.attrs[key].history.has_changes() for key in FACT_COLUMNS[type(obj)])


def _collect(obj: Any, new: bool, marks: _Marks) -> None:
    kind = type(obj)
    if kind not in FACT_COLUMNS or not _changed(obj, new):
        return
    if isinstance(obj, Invoice):
        marks.own.add(obj.id)
        marks.debtors.add(obj.debtor_id)
    elif isinstance(obj, Debtor):
        marks.debtors.add(obj.id)
    elif isinstance(obj, Business):
        marks.businesses.add(obj.id)
    elif isinstance(obj, BusinessLadder):
        marks.businesses.add(obj.business_id)
    elif isinstance(obj, OutboundMessage):
        if obj.debtor_id is not None:
            marks.debtors.add(obj.debtor_id)
        if obj.invoice_id is not None:
            marks.invoices.add(obj.invoice_id)
    elif isinstance(obj, (OutboundInvoice, Payment)):
        marks.invoices.add(obj.invoice_id)
    elif isinstance(obj, TimelineEvent):
        if obj.invoice_id is not None:
            marks.invoices.add(obj.invoice_id)
        elif obj.debtor_id is not None:
            marks.debtors.add(obj.debtor_id)


def _after_flush(session: Session, _context: Any) -> None:
    marks = _Marks()
    for obj in session.new:
        _collect(obj, True, marks)
    for obj in session.deleted:
        _collect(obj, True, marks)
    for obj in session.dirty:
        _collect(obj, False, marks)
    connection = session.connection()
    table = cast(Table, Invoice.__table__)
    own = sorted(i for i in marks.own if i is not None)
    if own:  # rows this flush wrote are locked by this transaction already: marking them waits on nobody
        connection.execute(update(table).where(table.c.id.in_(own)).values(next_action_at=RECOMPUTE))
    wakes = ([{"invoice_id": i, "debtor_id": None, "business_id": None} for i in sorted(marks.invoices - marks.own)]
             + [{"invoice_id": None, "debtor_id": d, "business_id": None} for d in sorted(marks.debtors)]
             + [{"invoice_id": None, "debtor_id": None, "business_id": b} for b in sorted(marks.businesses)])
    wakes = [w for w in wakes if any(v is not None for v in w.values())]
    if wakes:  # other invoices' rows are marked by the tick (`apply_wakes`): an insert waits on no row lock
        connection.execute(insert(cast(Table, NextActionWake.__table__)), wakes)


def apply_wakes(session: Session, limit: int = 10_000) -> int:
    """Turn waiting wakes into marks, in the caller's transaction (the tick's claim); returns how many.

    The wakes are taken with SKIP LOCKED (two ticks take different ones) and so are the invoices to mark: the
    tick never waits on a row lock here, so it cannot deadlock with anything."""
    wake_table = cast(Table, NextActionWake.__table__)
    taken = wake_table.c.id.in_(select(wake_table.c.id).order_by(wake_table.c.id).limit(limit)
                                .with_for_update(skip_locked=True).scalar_subquery())
    rows = session.execute(delete(wake_table).where(taken).returning(
        wake_table.c.invoice_id, wake_table.c.debtor_id, wake_table.c.business_id)).all()
    if not rows:
        return 0
    table = cast(Table, Invoice.__table__)
    conditions: list[ColumnElement[bool]] = []
    invoices = sorted({r.invoice_id for r in rows if r.invoice_id is not None})
    debtors = sorted({r.debtor_id for r in rows if r.debtor_id is not None})
    businesses = sorted({r.business_id for r in rows if r.business_id is not None})
    if invoices:
        conditions.append(table.c.id.in_(invoices))
    if debtors:
        conditions.append(table.c.debtor_id.in_(debtors) & (table.c.status == "open"))
    if businesses:
        conditions.append(table.c.business_id.in_(businesses) & table.c.status.in_(_OPEN_OR_PAID))
    # Rows already marked are left alone: no needless write when a debtor is busy.
    stale = or_(table.c.next_action_at.is_(None), table.c.next_action_at > RECOMPUTE)
    targets = session.scalars(select(table.c.id).where(or_(*conditions), stale).order_by(table.c.id)).all()
    for start in range(0, len(targets), 5_000):
        chunk = targets[start:start + 5_000]
        # A row another transaction holds (a payment, a reminder being recorded) is not waited for: its wake goes
        # back and the next claim marks it. Waiting could deadlock with a transaction locking several invoices.
        free = session.scalars(select(table.c.id).where(table.c.id.in_(chunk)).order_by(table.c.id)
                               .with_for_update(skip_locked=True)).all()
        if free:
            session.execute(update(table).where(table.c.id.in_(free)).values(next_action_at=RECOMPUTE))
        busy = sorted(set(chunk) - set(free))
        if busy:
            session.execute(insert(wake_table), [{"invoice_id": i, "debtor_id": None, "business_id": None}
                                                 for i in busy])
    return len(rows)


def watch_facts(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Mark invoices after every flush of sessions from this factory (see the module docstring)."""
    event.listen(sessions, "after_flush", _after_flush)
    return sessions
