"""Tell a business, by e-mail through the outbox, about an invoice it sent that we could not use."""

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.adapters.letters import DocumentProblem, LetterSettings, compose_invoice_problem
from worker.db.models import Business, InboundMessage, OutboundMessage
from worker.domain.events import EventKind
from worker.usecases.timeline import record_event

log = logging.getLogger(__name__)
NOTICE_STEP = "notice:invoice_problem"


def notify_invoice_problem(session: Session, business: Business, inbound: InboundMessage, *, filename: str,
                           problems: list[DocumentProblem], invoice_id: int | None, now: datetime,
                           letters: LetterSettings) -> OutboundMessage | None:
    """Record (not send) the notice in the caller's transaction; the tick's sweep enqueues it.

    Once per inbound message and file: the deterministic Message-ID makes a second attempt a no-op.
    A notice that cannot be rendered is logged and skipped: it must never block the quarantine itself.
    """
    try:
        letter = compose_invoice_problem(
            business=business, filename=filename, received_at=inbound.received_at, subject=inbound.subject,
            sender=inbound.from_address, problems=problems, key=f"m{inbound.id}.{filename}", now=now,
            letters=letters)
    except Exception:
        log.exception("notice about %s for business %s could not be made", filename, business.id)
        return None
    if session.scalar(select(OutboundMessage.id).where(OutboundMessage.message_id == letter.message_id)):
        return None
    row = OutboundMessage(
        business_id=business.id, debtor_id=None, invoice_id=invoice_id, step=NOTICE_STEP,
        message_id=letter.message_id, to_addresses=letter.addressing.to, cc_addresses=[], subject=letter.subject,
        raw=letter.message.as_bytes(), status="pending", attempts=0, created_at=now)
    session.add(row)
    session.flush()
    record_event(session, EventKind.BUSINESS_NOTIFIED, at=now, business_id=business.id, invoice_id=invoice_id,
                 inbound_message_id=inbound.id, outbound_message_id=row.id, filename=filename,
                 problems=[p.message for p in problems])
    return row
