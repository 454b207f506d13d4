"""Put a composed letter in the outbox, linked to the invoices it covers (the record made before sending)."""

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from worker.adapters.letters import ComposedLetter, ReminderDecision, TemplateSource
from worker.db.models import Debtor, Invoice, OutboundInvoice, OutboundMessage
from worker.usecases.templates import resolve_template


def record_outbound(session: Session, *, business_id: int, debtor_id: int | None, invoices: Sequence[Invoice],
                    step: str, letter: ComposedLetter, now: datetime, status: str = "pending",
                    invoice_id: int | None = None) -> OutboundMessage:
    """Add the outbox row and its (invoice, step) links; the unique link makes a second record of one step fail."""
    row = OutboundMessage(
        business_id=business_id, debtor_id=debtor_id, invoice_id=invoices[0].id if invoices else invoice_id,
        step=step, message_id=letter.message_id, to_addresses=letter.addressing.to,
        cc_addresses=letter.addressing.cc, subject=letter.subject, raw=letter.message.as_bytes(), status=status,
        attempts=0, created_at=now)
    return _linked(session, row, invoices, step)


def record_decision(session: Session, *, business_id: int, debtor_id: int, invoices: Sequence[Invoice], step: str,
                    decision: ReminderDecision, render_context: dict[str, Any], now: datetime,
                    status: str = "pending") -> OutboundMessage:
    """Add the outbox row of a letter not rendered yet: addressed and named, its body made later (render_outbound)."""
    row = OutboundMessage(
        business_id=business_id, debtor_id=debtor_id, invoice_id=invoices[0].id, step=step,
        message_id=decision.message_id, to_addresses=decision.addressing.to, cc_addresses=decision.addressing.cc,
        subject="", raw=b"", status=status, attempts=0, created_at=now, render_context=render_context)
    return _linked(session, row, invoices, step)


def _linked(session: Session, row: OutboundMessage, invoices: Sequence[Invoice], step: str) -> OutboundMessage:
    session.add(row)
    session.flush()
    for invoice in invoices:
        session.add(OutboundInvoice(outbound_message_id=row.id, invoice_id=invoice.id, step=step))
    return row


def templates_for(session: Session, business_id: int, debtor: Debtor) -> TemplateSource:
    """The template search path for this debtor: its own, the business's, then the built-in letter."""
    def source(name: str, language: str) -> bytes:
        return resolve_template(session, business_id, debtor.id, name, language, tone=debtor.letter_tone)
    return source
