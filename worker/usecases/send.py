"""Send one recorded outbox message, at most once: claim it, hand it to the transport, mark it sent."""

import asyncio
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from sqlalchemy import or_, update
from sqlalchemy.orm import Session, sessionmaker

from mailer.errors import PermanentDeliveryError, TransientDeliveryError
from mailer.sender import Sender
from worker.db.models import OutboundMessage
from worker.domain.events import EventKind
from worker.domain.retry_schedule import DEFAULT_RETRY_SCHEDULE, RetrySchedule
from worker.usecases.delivery_failures import give_up, retry_later
from worker.usecases.send_guards import hold_back
from worker.usecases.timeline import record_event

# A claim older than this belongs to a sender that died; the message may be claimed again.
CLAIM_LEASE = timedelta(minutes=15)


def send_outbound(sessions: sessionmaker[Session], sender: Sender, outbound_id: int, now: datetime,
                  schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE) -> str:
    """Return the final status; a message already sent (or being sent by another worker) is left alone."""
    with sessions.begin() as session:
        # The conditional UPDATE is the claim: of several workers running this job, one wins.
        claimed = session.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
            update(OutboundMessage)
            .where(OutboundMessage.id == outbound_id)
            .where(or_(OutboundMessage.status == "pending",
                       (OutboundMessage.status == "sending") & (OutboundMessage.claimed_at < now - CLAIM_LEASE)))
            .values(status="sending", claimed_at=now, attempts=OutboundMessage.attempts + 1)
        ).rowcount
        row = session.get_one(OutboundMessage, outbound_id)
        if not claimed:
            return row.status
        if (held := hold_back(session, row, now)) is not None:  # still owed, due, and inside the window?
            return held
        raw, recipients = row.raw, [*row.to_addresses, *row.cc_addresses]
    message = message_from_bytes(raw, _class=EmailMessage, policy=policy.SMTP)
    try:
        # Any other exception leaves the claim in place: the outcome is unknown, and only after the
        # lease may a sweep try again.
        asyncio.run(sender.send(message, recipients))
    except TransientDeliveryError as exc:
        return retry_later(sessions, outbound_id, now, exc, schedule)  # the job reschedules itself for then
    except PermanentDeliveryError as exc:
        return give_up(sessions, outbound_id, now, exc)
    _finish(sessions, outbound_id, "sent", now)
    return "sent"


def _finish(sessions: sessionmaker[Session], outbound_id: int, status: str, now: datetime,
            error: str | None = None, failed_recipients: list[str] | None = None) -> None:
    with sessions.begin() as session:
        row = session.get_one(OutboundMessage, outbound_id)
        row.status, row.last_error = status, error
        common: dict[str, Any] = dict(at=now, business_id=row.business_id, invoice_id=row.invoice_id,
                                      debtor_id=row.debtor_id, outbound_message_id=row.id, step=row.step)
        if status == "sent":
            row.sent_at = now
            record_event(session, EventKind.REMINDER_SENT, message_id=row.message_id, to=row.to_addresses,
                         cc=row.cc_addresses, **common)
        elif status == "failed":
            record_event(session, EventKind.DELIVERY_FAILED, error=error, failed_recipients=failed_recipients,
                         **common)
