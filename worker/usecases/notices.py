"""Tell a business, by e-mail through the outbox, what it should fix: an unusable invoice, an address, a bounce."""

import logging
from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.adapters.letters import (
    ComposedLetter,
    DocumentProblem,
    LetterSettings,
    compose_business_notice,
    compose_invoice_problem,
)
from worker.db.models import Business, InboundMessage, OutboundMessage
from worker.domain.events import EventKind
from worker.usecases.notice_texts import Notice
from worker.usecases.outbox import record_outbound
from worker.usecases.timeline import record_event

log = logging.getLogger(__name__)


def _record(session: Session, business: Business, compose: Callable[[], ComposedLetter], *, step: str,
            invoice_id: int | None, debtor_id: int | None, inbound_id: int | None, now: datetime,
            **data: object) -> OutboundMessage | None:
    """Record (not send) a notice in the caller's transaction; the tick's sweep enqueues it.

    Once only: the deterministic Message-ID makes a second attempt a no-op. A notice that cannot be rendered
    is logged and skipped: it must never block what caused it (a quarantine, a reminder, a bounce).
    """
    try:
        letter = compose()
    except Exception:
        log.exception("%s notice for business %s could not be made", step, business.id)
        return None
    if session.scalar(select(OutboundMessage.id).where(OutboundMessage.message_id == letter.message_id)):
        return None
    row = record_outbound(session, business_id=business.id, debtor_id=debtor_id, invoices=(), step=step,
                          letter=letter, now=now, invoice_id=invoice_id)
    record_event(session, EventKind.BUSINESS_NOTIFIED, at=now, business_id=business.id, invoice_id=invoice_id,
                 debtor_id=debtor_id, inbound_message_id=inbound_id, outbound_message_id=row.id, subject=row.subject,
                 **data)
    return row


def notify_invoice_problem(session: Session, business: Business, inbound: InboundMessage, *, filename: str,
                           problems: list[DocumentProblem], invoice_id: int | None, now: datetime,
                           letters: LetterSettings) -> OutboundMessage | None:
    """An invoice the business sent could not be used (or is held for review): which file, what is wrong."""
    return _record(session, business, lambda: compose_invoice_problem(
        business=business, filename=filename, received_at=inbound.received_at, subject=inbound.subject,
        sender=inbound.from_address, problems=problems, key=f"m{inbound.id}.{filename}", now=now, letters=letters),
        step="notice:invoice_problem", invoice_id=invoice_id, debtor_id=None, inbound_id=inbound.id, now=now,
        filename=filename, problems=[p.message for p in problems])


def notify_business(session: Session, business: Business, notice: Notice, *, now: datetime,
                    letters: LetterSettings, invoice_id: int | None = None, debtor_id: int | None = None,
                    inbound_id: int | None = None) -> OutboundMessage | None:
    """Something for the business to fix, told once per `notice.key`."""
    return _record(session, business, lambda: compose_business_notice(
        business=business, title=notice.title, message=notice.message, action=notice.action, key=notice.key,
        now=now, letters=letters, api=notice.api), step="notice:business", invoice_id=invoice_id, debtor_id=debtor_id,
        inbound_id=inbound_id, now=now, title=notice.title)
