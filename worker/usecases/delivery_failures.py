"""After a send failed: try again on the retry schedule, or give up, record why and tell the business once."""

from datetime import datetime
from random import Random

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from mailer.errors import PermanentDeliveryError, TransientDeliveryError
from worker.adapters.letters import LetterSettings
from worker.db.models import Business, Debtor, Invoice, OutboundMessage
from worker.domain.events import EventKind
from worker.domain.retry_schedule import DEFAULT_RETRY_SCHEDULE, RetrySchedule
from worker.logs import get_logger
from worker.usecases.delivery_failed_notice import delivery_failed
from worker.usecases.notices import notify_business
from worker.usecases.send_guards import is_notice, log_fields, window_for
from worker.usecases.timeline import record_event

log = get_logger(__name__)


def retry_later(sessions: sessionmaker[Session], outbound_id: int, now: datetime, exc: TransientDeliveryError,
                schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE) -> str:
    """Back to pending with `next_attempt_at` from the schedule (inside the sending window); after the last
    attempt the row fails like a permanent refusal. Returns the row's new status."""
    with sessions.begin() as session:
        row = session.get_one(OutboundMessage, outbound_id)
        recipients = [r for r in [*row.to_addresses, *row.cc_addresses] if r not in exc.accepted]
        # Jitter seeded by row and attempt: rows spread out, and the decision is the same when replayed.
        at = schedule.next_attempt(row.attempts, now, Random(f"{row.id}:{row.attempts}"))
        if at is None:
            return _fail(session, row, now, code=exc.code, reason=f"{exc.message} (after {row.attempts} attempts)",
                         recipients=recipients)
        if not is_notice(row.step):
            at = window_for(session.get_one(Business, row.business_id), at).next_opening(at)
        row.status, row.last_error, row.next_attempt_at = "pending", str(exc), at
        log.info("send_retry_scheduled", **log_fields(row), attempt=row.attempts, code=exc.code, at=at.isoformat())
        return "pending"


def give_up(sessions: sessionmaker[Session], outbound_id: int, now: datetime, exc: PermanentDeliveryError) -> str:
    """A permanent refusal (5xx): no retry; recorded for review and told to the business."""
    with sessions.begin() as session:
        return _fail(session, session.get_one(OutboundMessage, outbound_id), now, code=exc.code, reason=exc.message,
                     recipients=exc.recipients)


def _fail(session: Session, row: OutboundMessage, now: datetime, *, code: int | None, reason: str,
          recipients: list[str]) -> str:
    row.status, row.next_attempt_at = "failed", None
    row.last_error = f"{code} {reason}" if code else reason
    record_event(session, EventKind.DELIVERY_FAILED, at=now, business_id=row.business_id, invoice_id=row.invoice_id,
                 debtor_id=row.debtor_id, outbound_message_id=row.id, step=row.step, error=row.last_error,
                 failed_recipients=recipients, code=code, reason=reason, attempts=row.attempts)
    log.warning("send_failed", **log_fields(row), attempt=row.attempts, code=code)
    return "failed"


def escalate_failures(sessions: sessionmaker[Session], now: datetime, letters: LetterSettings,
                      outbound_id: int | None = None) -> list[int]:
    """Tell each business once about each of its messages that failed for good (not about failed notices:
    those would fail the same way). Returns the outbox ids told about."""
    told = []
    with sessions.begin() as session:
        query = select(OutboundMessage).where(OutboundMessage.status == "failed",
                                              OutboundMessage.escalated_at.is_(None),
                                              ~OutboundMessage.step.startswith("notice:"))
        if outbound_id is not None:
            query = query.where(OutboundMessage.id == outbound_id)
        for row in session.scalars(query.order_by(OutboundMessage.id).with_for_update(skip_locked=True)).all():
            business = session.get_one(Business, row.business_id)
            debtor = session.get(Debtor, row.debtor_id) if row.debtor_id else None
            invoice = session.get(Invoice, row.invoice_id) if row.invoice_id else None
            name = (debtor.name or debtor.contact_email) if debtor else "?"
            notice = delivery_failed(business.language, row.id, name, [*row.to_addresses, *row.cc_addresses],
                                     row.subject, row.last_error or "", row.debtor_id)
            notify_business(session, business, notice, now=now, letters=letters,
                            invoice_id=invoice.id if invoice else None, debtor_id=row.debtor_id)
            row.escalated_at = now
            told.append(row.id)
    return told


def next_attempt_at(sessions: sessionmaker[Session], outbound_id: int) -> datetime | None:
    """When a pending row is to be tried again (None: it is not pending)."""
    with sessions.begin() as session:
        row = session.get_one(OutboundMessage, outbound_id)
        return row.next_attempt_at if row.status == "pending" else None
