"""Erase a debtor's personal data (GDPR art. 17), keeping what the law requires: the invoices themselves.

Kept (fiscal retention, 7 years in NL, art. 52 AWR): the invoices with their numbers, dates and amounts, the
e-mail each invoice arrived in (the business's own invoice document), payments and bank lines (bookkeeping).
Removed or pseudonymised: the debtor's names, e-mail addresses and postal address; the raw bytes, sender and
subject of every message the debtor sent; the body of every letter and e-mail sent to the debtor (their
addresses become the pseudonym); free text and addresses in the timeline and in notices. The erasure itself is
on each invoice's timeline. A debtor who still owes is refused: the data is needed for the claim (art. 17(3)(e)).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from worker.db.models import (
    Debtor,
    InboundMessage,
    Invoice,
    NoticeItem,
    OutboundDelivery,
    OutboundInvoice,
    OutboundMessage,
    TimelineEvent,
)
from worker.domain.events import EventKind
from worker.domain.privacy import ERASED, Pseudonym, personal_strings, pseudonym_for, scrub
from worker.usecases.ageing import OWED
from worker.usecases.ledger import open_amount
from worker.usecases.timeline import record_event

UNSENT = ("pending", "sending", "to_print")  # not out yet: cancelled rather than sent to a pseudonym
WAITING = ("stored", "quarantined", "failed")  # a message no one can act on once its bytes are gone


class StillOwed(ValueError):
    """The debtor has open invoices: erasing now would lose what the claim needs."""


class AlreadyErased(ValueError):
    """The debtor was erased before."""


@dataclass(frozen=True)
class Erasure:
    """What the erasure did, in counts."""

    invoices: int
    inbound_messages: int
    outbound_messages: int
    timeline_events: int
    notices: int


def erase_debtor(session: Session, debtor: Debtor, *, who: str, reason: str | None, now: datetime) -> Erasure:
    """Remove or pseudonymise everything personal about `debtor`; see the module docstring for what stays."""
    if debtor.erased_at is not None:
        raise AlreadyErased(f"debtor {debtor.id} was erased on {debtor.erased_at.date().isoformat()}")
    invoices = session.scalars(select(Invoice).where(Invoice.debtor_id == debtor.id)).all()
    owing = [i for i in invoices if i.status in OWED and open_amount(i) > Decimal(0)]
    if owing:
        numbers = ", ".join(sorted(i.number for i in owing)[:5])
        raise StillOwed(f"this debtor still owes on {len(owing)} invoice(s) ({numbers}); the law lets you keep "
                        "what the claim needs (GDPR art. 17(3)(e)): erase once they are paid, credited or "
                        "written off")
    pseudonym = pseudonym_for(debtor.id)
    personal = personal_strings(debtor.name, debtor.contact_name, debtor.address, debtor.contact_email,
                                debtor.general_email)
    invoice_ids = [i.id for i in invoices]
    kept_sources = {i.source_message_id for i in invoices if i.source_message_id is not None}
    events = session.scalars(select(TimelineEvent).where(or_(
        TimelineEvent.debtor_id == debtor.id, TimelineEvent.invoice_id.in_(invoice_ids)))).all()
    inbound = _inbound(session, debtor, events, kept_sources)
    outbound = session.scalars(select(OutboundMessage).where(or_(
        OutboundMessage.debtor_id == debtor.id, OutboundMessage.id.in_(
            select(OutboundInvoice.outbound_message_id).where(OutboundInvoice.invoice_id.in_(invoice_ids)))))).all()
    for message in inbound:
        if message.status in WAITING:  # leaves the queues: nothing is left to read or assign
            message.status, message.reason, message.processed_at = "processed", "the sender's data was erased", now
        message.raw, message.raw_purged_at = b"", now
        message.from_address, message.subject = pseudonym.email, None
        # The Message-ID names the sender's domain; its hash stays unique (the bytes' hash still spots the same
        # message fetched again, see usecases.inbound_store).
        message.message_key = "erased#sha256:" + hashlib.sha256(message.message_key.encode()).hexdigest()
    for letter in outbound:
        _erase_letter(session, letter, personal, pseudonym, now)
    for event in events:
        event.data = scrub(event.data, personal, pseudonym)
    notices = session.scalars(select(NoticeItem).where(NoticeItem.business_id == debtor.business_id, or_(
        NoticeItem.invoice_id.in_(invoice_ids), NoticeItem.inbound_message_id.in_([m.id for m in inbound])))).all()
    for notice in notices:
        notice.payload = scrub(notice.payload, personal, pseudonym)
    for invoice in invoices:  # the working copy of what was read; the invoice document itself stays as it came
        invoice.parsed = _scrub_parsed(invoice.parsed, personal, pseudonym)
    _pseudonymise(debtor, pseudonym, now)
    common: dict[str, Any] = {"who": who, "reason": reason, "kept": "invoices, their source e-mails and payments"}
    for invoice in invoices:
        record_event(session, EventKind.DEBTOR_ERASED, at=now, business_id=debtor.business_id,
                     invoice_id=invoice.id, debtor_id=debtor.id, **common)
    if not invoices:
        record_event(session, EventKind.DEBTOR_ERASED, at=now, business_id=debtor.business_id,
                     debtor_id=debtor.id, **common)
    session.flush()
    return Erasure(len(invoices), len(inbound), len(outbound), len(events), len(notices))


def _inbound(session: Session, debtor: Debtor, events: Any, kept: set[int]) -> list[InboundMessage]:
    """The messages the debtor sent: linked from the timeline, or from one of the debtor's addresses."""
    linked = {e.inbound_message_id for e in events if e.inbound_message_id is not None}
    addresses = [a.lower() for a in (debtor.contact_email, debtor.general_email) if a]
    rows = session.scalars(select(InboundMessage).where(
        InboundMessage.business_id == debtor.business_id,
        or_(InboundMessage.id.in_(linked), InboundMessage.from_address.in_(addresses)))).all()
    return [m for m in rows if m.id not in kept]


def _erase_letter(session: Session, letter: OutboundMessage, personal: tuple[str, ...], pseudonym: Pseudonym,
                  now: datetime) -> None:
    if letter.status in UNSENT:
        letter.status, letter.last_error = "cancelled", "cancelled: the debtor's personal data was erased"
    letter.raw, letter.subject, letter.render_context = b"", ERASED, None
    letter.rendered_at = letter.rendered_at or now  # nothing left to render: the row is never rendered again
    letter.to_addresses = [pseudonym.email] if letter.to_addresses else []
    letter.cc_addresses = [pseudonym.email] if letter.cc_addresses else []
    if letter.last_error:
        letter.last_error = scrub(letter.last_error, personal, pseudonym)
    for delivery in session.scalars(select(OutboundDelivery).where(OutboundDelivery.outbound_message_id == letter.id)):
        delivery.recipient, delivery.reply = pseudonym.email, None


def _scrub_parsed(parsed: dict[str, Any], personal: tuple[str, ...], pseudonym: Pseudonym) -> dict[str, Any]:
    """The buyer's party as read from the invoice becomes the pseudonym; the invoice's figures stay."""
    if not parsed:
        return parsed
    kept = dict(parsed)
    if isinstance(kept.get("buyer"), dict):
        kept["buyer"] = {k: (pseudonym.name if k == "name" and v else None if isinstance(v, str) else v)
                         for k, v in kept["buyer"].items()}
    return {k: (v if k in ("seller", "buyer") else scrub(v, personal, pseudonym)) for k, v in kept.items()}


def _pseudonymise(debtor: Debtor, pseudonym: Pseudonym, now: datetime) -> None:
    debtor.name, debtor.contact_email, debtor.contact_name = pseudonym.name, pseudonym.email, None
    debtor.general_email, debtor.address = None, None
    debtor.contact_undeliverable, debtor.email_consent = True, False  # nobody to write to any more
    debtor.erased_at = now
