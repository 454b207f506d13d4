"""Per-recipient delivery records of an outbox message: write the server's word, read who is still owed it."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.db.models import OutboundDelivery, OutboundInvoice, OutboundMessage

# Outcomes after which a recipient is never sent the message again.
SETTLED = ("accepted", "refused")


@dataclass(frozen=True)
class RecipientOutcome:
    recipient: str
    status: str  # accepted | deferred | refused | unknown
    code: int | None = None
    reply: str | None = None
    at_rcpt: bool = False  # refused at RCPT TO (the address itself), not the whole transaction


def role_of(row: OutboundMessage, recipient: str) -> str:
    return "to" if recipient in row.to_addresses else "cc"


def record_outcomes(session: Session, row: OutboundMessage, outcomes: list[RecipientOutcome],
                    now: datetime, found: list[OutboundDelivery] | None = None) -> list[OutboundDelivery]:
    """Upsert one delivery per recipient; an accepted or refused recipient keeps that outcome. Returns the
    row's deliveries afterwards (in `deliveries` order); `found`: those the caller read in this transaction."""
    known = {d.recipient: d for d in (deliveries(session, row.id) if found is None else found)}
    for outcome in outcomes:
        delivery = known.get(outcome.recipient)
        if delivery is None:
            delivery = OutboundDelivery(outbound_message_id=row.id, recipient=outcome.recipient,
                                        role=role_of(row, outcome.recipient), attempts=0)
            session.add(delivery)
            known[outcome.recipient] = delivery
        elif delivery.status in SETTLED:
            continue
        delivery.status, delivery.code, delivery.at = outcome.status, outcome.code, now
        delivery.reply = (outcome.reply or "")[:2000] or None
        delivery.attempts = (delivery.attempts or 0) + 1
    session.flush()  # new deliveries get their ids: the order below is `deliveries`' (by id)
    return sorted(known.values(), key=lambda d: d.id)


def deliveries(session: Session, outbound_id: int) -> list[OutboundDelivery]:
    return list(session.scalars(select(OutboundDelivery).where(OutboundDelivery.outbound_message_id == outbound_id)
                                .order_by(OutboundDelivery.id)))


def outstanding_of(row: OutboundMessage, found: list[OutboundDelivery]) -> list[str]:
    """Recipients the message still has to reach (neither accepted nor refused for good), from its deliveries."""
    settled = {d.recipient for d in found if d.status in SETTLED}
    return [r for r in [*row.to_addresses, *row.cc_addresses] if r not in settled]


def as_dicts(found: list[OutboundDelivery]) -> list[dict[str, Any]]:
    return [{"recipient": d.recipient, "role": d.role, "status": d.status, "code": d.code, "reply": d.reply,
             "attempts": d.attempts, "at": d.at.isoformat()} for d in found]


def invoice_deliveries(session: Session, invoice_id: int) -> list[dict[str, Any]]:
    """What happened to each recipient of every message about this invoice (for explain)."""
    rows = session.scalars(select(OutboundMessage).join(
        OutboundInvoice, OutboundInvoice.outbound_message_id == OutboundMessage.id)
        .where(OutboundInvoice.invoice_id == invoice_id).order_by(OutboundMessage.id)).all()
    return [{"outbound_id": row.id, "step": row.step, "message_id": row.message_id, "status": row.status,
             "queue_id": row.queue_id, "sent_at": row.sent_at.isoformat() if row.sent_at else None,
             "recipients": as_dicts(deliveries(session, row.id))} for row in rows]
