"""Mark invoices for a new decision whenever a fact their decision reads changes, in the same transaction.

One mechanism instead of a hook in every use case: after each flush, the new, changed and deleted rows are
sorted by what they are facts about, and `invoices.next_action_at` of the invoices concerned is set to
`RECOMPUTE` (far in the past) with at most three set-based UPDATEs, so the next tick decides them again.

What counts (kept complete by tests/unit/worker/test_fact_changes.py, which fails on an unclassified model or
column):

- an invoice's own row (status, amounts, dates, ...): that invoice, and every open invoice of its debtor (its
  status and dates are the debtor's payment history, which picks the ladder; a new one may change the law);
- a debtor (offline, consent, consumer, undeliverable contact, country, language...): its open invoices;
- an outbox row added or changed (sent, cancelled, rerouted): the minimum gap of its debtor, so its debtor's
  open invoices, and its first invoice; an (invoice, step) link: that invoice (a sent or freed step);
- a timeline event (promise, reported payment, plan, payment, dispute, reply...): its invoice, else its debtor;
- a payment: its invoice (the paid amount on the invoice row changes with it too);
- a business's settings or time zone: all its invoices, in one UPDATE.

Changes that touch only `next_action_at` (what the tick itself writes) never mark: else the tick would wake
itself for ever. Core UPDATE/DELETE statements bypass this listener: the few in the code base touch no fact
alone (the send claim, a notice's re-render) or come with an ORM change that marks (a cancelled row).
"""

from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, event, inspect, or_, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.sql.elements import ColumnElement

from worker.db.models import (
    RECOMPUTE,
    ApiKey,
    BankAllocation,
    BankStatementImport,
    BankTransaction,
    Base,
    Business,
    Debtor,
    IdempotencyKey,
    InboundMessage,
    Invoice,
    LetterTemplate,
    MailboxState,
    NoticeItem,
    OutboundDelivery,
    OutboundInvoice,
    OutboundMessage,
    Payment,
    TimelineEvent,
)

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
}
NOT_FACT_COLUMNS: dict[type[Base], frozenset[str]] = {
    # next_action_at is what the tick writes: it must never mark, or the tick would wake itself for ever.
    Invoice: frozenset({"next_action_at", "reply_token", "parsed", "source_message_id", "status_reason",
                        "payment_reference"}),
    Debtor: frozenset({"name", "contact_name", "letter_tone", "address", "created_at"}),
    Business: frozenset({"name", "sender_allowlist", "ingest_address", "retired_ingest_addresses", "from_address",
                         "from_name", "iban", "language", "api_key_hash", "created_at"}),
    OutboundMessage: frozenset({"to_addresses", "cc_addresses", "subject", "raw", "attempts", "claimed_at",
                                "last_error", "sent_at", "next_attempt_at", "escalated_at", "queue_id"}),
    OutboundInvoice: frozenset(),
    TimelineEvent: frozenset(),
    Payment: frozenset(),
}
# Rows no decision reads (mail in, keys, templates: they shape a letter, not whether it is due; bank lines
# become payments, which count; delivery outcomes reach decisions through the debtor and the outbox row).
NOT_FACT_MODELS: frozenset[type[Base]] = frozenset({
    InboundMessage, MailboxState, ApiKey, LetterTemplate, IdempotencyKey, BankStatementImport, BankTransaction,
    BankAllocation, OutboundDelivery, NoticeItem,
})
_OPEN_OR_PAID = ("open", "paid")


@dataclass
class _Marks:
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
        marks.invoices.add(obj.id)
        marks.debtors.add(obj.debtor_id)
    elif isinstance(obj, Debtor):
        marks.debtors.add(obj.id)
    elif isinstance(obj, Business):
        marks.businesses.add(obj.id)
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
    marks.invoices.discard(None)  # type: ignore[arg-type]
    marks.debtors.discard(None)  # type: ignore[arg-type]
    connection = session.connection()
    table = cast(Table, Invoice.__table__)
    conditions: list[ColumnElement[bool]] = []
    if marks.invoices:
        conditions.append(table.c.id.in_(sorted(marks.invoices)))
    if marks.debtors:
        conditions.append(table.c.debtor_id.in_(sorted(marks.debtors)) & (table.c.status == "open"))
    if marks.businesses:
        conditions.append(table.c.business_id.in_(sorted(marks.businesses))
                          & table.c.status.in_(_OPEN_OR_PAID))
    if conditions:
        # Rows already marked are left alone: no needless write (and no lock) when a debtor is busy.
        connection.execute(update(table).where(or_(*conditions))
                           .where(or_(table.c.next_action_at.is_(None), table.c.next_action_at > RECOMPUTE))
                           .values(next_action_at=RECOMPUTE))


def watch_facts(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    """Mark invoices after every flush of sessions from this factory (see the module docstring)."""
    event.listen(sessions, "after_flush", _after_flush)
    return sessions
