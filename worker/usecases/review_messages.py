"""Review actions on a quarantined or failed inbound message: assign it to an invoice, or mark it not ours."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mailer.message import parse_message
from worker.adapters.letters import LetterSettings
from worker.db.models import Business, InboundMessage, Invoice, TimelineEvent
from worker.usecases.classify import classify_message

# The reply handling is reused as is: an assigned message is acted on exactly as a matched one would have been.
from worker.usecases.replies import Incoming, act_on_message, record_remittance
from worker.usecases.review_decisions import ReviewConflict, record_decision

WAITING = ("quarantined", "failed")  # what the review queue lists (process_inbound's final states for a person)
ASSIGNED_RULE = "assigned"


def message_to_decide(session: Session, business: Business, inbound_id: int) -> InboundMessage | None:
    """The business's message, locked while deciding; another business's (or the operator's) is not found."""
    row = session.scalars(select(InboundMessage).where(InboundMessage.id == inbound_id).with_for_update()).first()
    return row if row is not None and row.business_id == business.id else None


def _refuse_if_decided(row: InboundMessage) -> None:
    if row.status not in WAITING:
        raise ReviewConflict(f"message {row.id} is no longer waiting for review (it is {row.status}); nothing "
                             "was changed")


def assign_message(session: Session, business: Business, row: InboundMessage, invoice: Invoice, *, who: str,
                   note: str | None, now: datetime, letters: LetterSettings) -> TimelineEvent:
    """Act on the message as if it had matched `invoice`: a reply's intent, promise, dispute, bounce... Returns
    the decision (its `read_as` says what the message was read as)."""
    _refuse_if_decided(row)
    try:
        mail = parse_message(row.raw)
        found = classify_message(row.raw, now.date())
    except Exception as exc:  # noqa: BLE001 - whatever made it unreadable: a person can only set it aside
        raise ReviewConflict(f"message {row.id} cannot be read ({type(exc).__name__}), so it cannot be acted on "
                             "for an invoice; mark it not ours (POST /review/messages/{id}/not-ours)") from exc
    kind = "reply" if found["kind"] == "invoice" else found["kind"]
    incoming = Incoming(session, row, mail, now, letters)
    # The decision first: the timeline then reads "assigned by ..." before what the message brought.
    decision = record_decision(session, "assign", who=who, now=now, business_id=business.id, invoice_id=invoice.id,
                               debtor_id=invoice.debtor_id, inbound_id=row.id, read_as=kind, note=note,
                               previous_status=row.status)
    row.status, row.kind, row.processed_at, row.reason = "processed", kind, now, None
    if kind == "remittance":
        record_remittance(incoming, business, [invoice], found["remittance_lines"], ASSIGNED_RULE, trusted=False)
    else:
        act_on_message(incoming, kind, found, invoice, [a.lower() for a in found["failed_recipients"]], ASSIGNED_RULE)
    return decision


def mark_message_not_ours(session: Session, business: Business, row: InboundMessage, *, who: str,
                          note: str | None, now: datetime) -> TimelineEvent:
    """Not about any invoice of ours (spam, a personal mail, another supplier's): it leaves the queue, kept."""
    _refuse_if_decided(row)
    decision = record_decision(session, "not_ours", who=who, now=now, business_id=business.id, inbound_id=row.id,
                               note=note, previous_status=row.status)
    row.status, row.processed_at = "not_ours", now
    return decision
