"""Record a clerk's note or phone call on an invoice's timeline, its promise, and its written confirmation."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.adapters.letters import LetterSettings, compose_reminder
from worker.db.models import Business, Debtor, Invoice, OutboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.status import InvoiceStatus
from worker.domain.step import Step
from worker.usecases.letter_facts import letter_facts
from worker.usecases.outbox import record_outbound, templates_for
from worker.usecases.timeline import record_event

CONFIRMATION = Step("agreement_confirmation", 0, "agreement_confirmation")
ContactKind = Literal["note", "call"]
KINDS: dict[str, EventKind] = {"note": EventKind.NOTE_RECORDED, "call": EventKind.CALL_RECORDED}
CONTACT_EVENTS = (EventKind.NOTE_RECORDED.value, EventKind.CALL_RECORDED.value)
# A promise holds the ladder only while the ladder could still send about the invoice.
_PROMISABLE = (InvoiceStatus.OPEN.value, InvoiceStatus.PAUSED.value, InvoiceStatus.HANDED_OFF.value)


class ContactRefused(ValueError):
    """The note or call cannot be recorded as given; `field` names the input at fault; `conflict` says the input
    is fine but the invoice's state refuses it."""

    def __init__(self, message: str, field: str | None = None, *, conflict: bool = False) -> None:
        super().__init__(message)
        self.field = field
        self.conflict = conflict


@dataclass(frozen=True)
class Contact:
    """What the clerk tells us about one contact with the debtor."""

    kind: ContactKind
    happened_at: datetime
    summary: str
    contact: str | None = None  # who at the debtor we spoke to
    promised_date: date | None = None
    send_confirmation: bool = False


@dataclass(frozen=True)
class Recorded:
    event: TimelineEvent
    promise: TimelineEvent | None
    confirmation: OutboundMessage | None


def record_contact(session: Session, invoice: Invoice, contact: Contact, *, by: str, now: datetime,
                   letters: LetterSettings) -> Recorded:
    """The note or call on the timeline with who recorded it; a promised date is recorded exactly like a promise
    read from a reply (it holds the ladder until the date plus grace); the confirmation goes through the outbox."""
    _check(invoice, contact, now)
    data: dict[str, Any] = dict(by=by, happened_at=contact.happened_at.astimezone(UTC).isoformat(),
                                contact=contact.contact, summary=contact.summary,
                                promised_date=contact.promised_date.isoformat() if contact.promised_date else None)
    common: dict[str, Any] = dict(at=now, business_id=invoice.business_id, invoice_id=invoice.id,
                                  debtor_id=invoice.debtor_id)
    event = record_event(session, KINDS[contact.kind], **common, **data)
    promise = None
    if contact.promised_date is not None:
        # The same event a reply's promise makes: the decision (worker.domain.holds) reads only this kind.
        promise = record_event(session, EventKind.PROMISE_TO_PAY_RECORDED, **common,
                               promised_date=contact.promised_date.isoformat(), source=contact.kind, by=by)
    session.flush()
    confirmation = _confirm(session, invoice, contact, now, letters) if contact.send_confirmation else None
    if confirmation is not None:
        event.data = {**event.data, "confirmation_outbound_id": confirmation.id}
    return Recorded(event, promise, confirmation)


def _check(invoice: Invoice, contact: Contact, now: datetime) -> None:
    if not contact.summary.strip():
        raise ContactRefused("say what was discussed or agreed (summary is empty)", "summary")
    if contact.happened_at > now:
        raise ContactRefused("a contact cannot be recorded before it happened: happened_at is in the future",
                             "happened_at")
    if contact.promised_date is not None:
        if contact.promised_date < now.date():
            raise ContactRefused(f"the promised date {contact.promised_date.isoformat()} has already passed; "
                                 "promised_date must be today or a later day", "promised_date")
        if invoice.status not in _PROMISABLE:
            raise ContactRefused(f"invoice {invoice.number} is {invoice.status}; a promise to pay needs an unpaid "
                                 "invoice", "promised_date", conflict=True)
    if contact.send_confirmation:
        if invoice.status not in _PROMISABLE:
            raise ContactRefused(f"invoice {invoice.number} is {invoice.status}; a confirmation is only sent about "
                                 "an unpaid invoice", "send_confirmation", conflict=True)
        if invoice.amount_due is None or invoice.currency is None or invoice.due_date is None:
            raise ContactRefused(f"invoice {invoice.number} lacks its amount, currency or due date; correct it "
                                 "before confirming an agreement about it", "send_confirmation", conflict=True)


def _confirm(session: Session, invoice: Invoice, contact: Contact, now: datetime,
             letters: LetterSettings) -> OutboundMessage:
    """The written confirmation, recorded in the outbox under a numbered step: the sender's exactly-once path."""
    business = session.get_one(Business, invoice.business_id)
    debtor = session.get_one(Debtor, invoice.debtor_id)
    n = len(session.scalars(select(OutboundMessage.id).where(
        OutboundMessage.invoice_id == invoice.id,
        OutboundMessage.step.like(f"{CONFIRMATION.name}.%"))).all()) + 1
    agreement = {"on": contact.happened_at.date(), "phone": contact.kind == "call", "contact": contact.contact,
                 "summary": contact.summary, "promised_date": contact.promised_date}
    letter = compose_reminder(business=business, debtor=debtor, invoices=[invoice], step=CONFIRMATION, now=now,
                              letters=letters, key_suffix=f".{n}", facts=letter_facts(session, [invoice]),
                              templates=templates_for(session, business.id, debtor),
                              extra_context={"agreement": agreement})
    return record_outbound(session, business_id=business.id, debtor_id=debtor.id, invoices=[invoice],
                           step=f"{CONFIRMATION.name}.{n}", letter=letter, now=now)


def contacts_of(session: Session, invoice: Invoice) -> list[TimelineEvent]:
    """The invoice's notes and calls, oldest first."""
    return list(session.scalars(select(TimelineEvent).where(
        TimelineEvent.invoice_id == invoice.id, TimelineEvent.kind.in_(CONTACT_EVENTS)
    ).order_by(TimelineEvent.at, TimelineEvent.id)))
