"""Send one recorded outbox message exactly once: claim it, prove or send, record what each recipient got."""

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from mailer.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError
from mailer.sender import RawSender, Sender, SendReceipt, sendable_as_is
from mailer.sent_copies import SentCopies
from worker.adapters.letters import LetterSettings
from worker.adapters.send_rate import SendRate
from worker.db.models import OutboundMessage
from worker.domain.events import EventKind
from worker.domain.retry_schedule import DEFAULT_RETRY_SCHEDULE, RetrySchedule
from worker.logs import get_logger
from worker.usecases.deliveries import (
    RecipientOutcome,
    as_dicts,
    deliveries,
    outstanding_of,
    record_outcomes,
)
from worker.usecases.delivery_failures import give_up, retry_later
from worker.usecases.delivery_proof import keep_copy, look_for_copy
from worker.usecases.refused_contact import mark_unreachable, refused_contact, release_step
from worker.usecases.render_outbound import ensure_rendered_in, needs_render, settings_for
from worker.usecases.send_guards import Defer, defer, hold_back
from worker.usecases.timeline import record_event

log = get_logger(__name__)

# A claim older than this belongs to a sender that died; the message may be claimed again.
CLAIM_LEASE = timedelta(minutes=15)


@dataclass(frozen=True)
class Attempt:
    raw: bytes
    message_id: str
    recipients: list[str]  # those the message still has to reach
    uncertain: bool  # an earlier attempt may have reached the server: look for proof first


def send_outbound(sessions: sessionmaker[Session], sender: Sender, outbound_id: int, now: datetime,
                  schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE, *, copies: SentCopies | None = None,
                  letters: Callable[[], LetterSettings] | None = None, rate: SendRate | None = None) -> str:
    """Return the row's status afterwards; a message already sent (or being sent by another worker) is left alone.

    `copies`: the mailbox's Sent copies (searched before an uncertain resend, appended after acceptance).
    `letters`: for rendering a letter the tick only recorded, and the business notice when the contact is refused.
    `rate`: the send rates shared by all workers; over them, the row waits (deferred, no attempt counted).
    """
    attempt = _claim(sessions, outbound_id, now, rate, letters)
    if isinstance(attempt, str):
        return attempt
    if attempt.uncertain:
        try:
            found_in = look_for_copy(copies, attempt.message_id)
        except TransientDeliveryError as exc:  # no answer: still uncertain, and released for a later try
            _settle(sessions, outbound_id, now, [RecipientOutcome(r, "unknown", reply=str(exc))
                                                 for r in attempt.recipients], letters, error=exc)
            return retry_later(sessions, outbound_id, now, exc, schedule)
        if found_in is not None:
            proven = [RecipientOutcome(r, "accepted", reply=f"proof: sent copy found in {found_in}")
                      for r in attempt.recipients]
            return _settle(sessions, outbound_id, now, proven, letters, note=f"proof: sent copy found in {found_in}")
    try:
        # Any other exception leaves the claim in place: the outcome is unknown, and only after the
        # lease may a sweep try again (and look for proof first).
        receipt = asyncio.run(_transmit(sender, attempt.raw, attempt.recipients))
    except TransientDeliveryError as exc:
        _settle(sessions, outbound_id, now, _outcomes(exc, attempt.recipients), letters, error=exc)
        return retry_later(sessions, outbound_id, now, exc, schedule)  # the job reschedules itself for then
    except PermanentDeliveryError as exc:
        status = _settle(sessions, outbound_id, now, _outcomes(exc, attempt.recipients), letters, error=exc)
        if status == "pending":  # a permanent refusal beside a deferred recipient: that one is retried
            waiting = TransientDeliveryError(f"deferred recipients remain after: {exc}", None, exc.accepted)
            return retry_later(sessions, outbound_id, now, waiting, schedule)
        return give_up(sessions, outbound_id, now, exc) if status == "failed" else status
    accepted = receipt.accepted if receipt is not None else attempt.recipients
    reply = receipt.reply if receipt is not None else None
    keep_copy(copies, attempt.raw, attempt.message_id)
    return _settle(sessions, outbound_id, now, [RecipientOutcome(r, "accepted", 250, reply) for r in accepted],
                   letters, queue_id=receipt.queue_id if receipt is not None else None)


async def _transmit(sender: Sender, raw: bytes, recipients: list[str]) -> SendReceipt | None:
    """The stored bytes as they are when the sender can take them (no parse, no re-flattening), else the message."""
    if isinstance(sender, RawSender) and sendable_as_is(raw):
        return await sender.send_bytes(raw, recipients)
    return await sender.send(message_from_bytes(raw, _class=EmailMessage, policy=policy.SMTP), recipients)


def _claim(sessions: sessionmaker[Session], outbound_id: int, now: datetime, rate: SendRate | None = None,
           letters: Callable[[], LetterSettings] | None = None) -> Attempt | str:
    with sessions.begin() as session:
        # The conditional UPDATE is the claim: of several workers running this job, one wins. A stale claim
        # (its sender died) is taken over, but that sender may have reached the server: uncertain.
        uncertain = False
        for stale, condition in ((False, OutboundMessage.status == "pending"),
                                 (True, (OutboundMessage.status == "sending")
                                  & (OutboundMessage.claimed_at < now - CLAIM_LEASE))):
            claimed = session.execute(  # type: ignore[attr-defined]  # an UPDATE's result is a CursorResult
                update(OutboundMessage).where(OutboundMessage.id == outbound_id).where(condition)
                .values(status="sending", claimed_at=now, attempts=OutboundMessage.attempts + 1)
            ).rowcount
            if claimed:
                uncertain = stale
                break
        row = session.get_one(OutboundMessage, outbound_id)
        if not claimed:
            return row.status
        found = deliveries(session, row.id)  # read once: the claim's decisions below all follow from it
        if uncertain:
            # The dead worker may have reached the server: remembered per recipient, so a deferral by the
            # guards below cannot make the next try forget to look for proof.
            found = record_outcomes(session, row, [RecipientOutcome(r, "unknown", reply="its sender died mid-send")
                                                   for r in outstanding_of(row, found)], now, found)
        if (held := hold_back(session, row, now)) is not None:  # still owed, due, and inside the window?
            return held
        waiting = outstanding_of(row, found)
        if rate is not None and (wait := rate.wait(row.business_id, waiting, now, f"outbound-{row.id}")) > 0:
            return defer(row, Defer(now + timedelta(seconds=math.ceil(wait)), "over the send rate"))
        uncertain = uncertain or any(d.status == "unknown" for d in found)
        if uncertain and any(d.status == "accepted" for d in found):
            # An earlier partial delivery left a copy under the same Message-ID: a copy now proves nothing about
            # the rest, so they are sent to (a crash after a 250 in this double fault can repeat their letter).
            log.warning("proof_ambiguous", business_id=row.business_id, outbound_id=row.id,
                        message_id=row.message_id)
            uncertain = False
        # A letter the tick only decided is rendered under this claim and stored with it, before it is sent (a
        # retry sends the same bytes); one that cannot be made cancels its row (render_outbound.letter_failed).
        if needs_render(row) and not ensure_rendered_in(session, row, settings_for(row, letters), now):
            return "cancelled"
        log.info("send_claimed", business_id=row.business_id, invoice_id=row.invoice_id, outbound_id=row.id,
                 message_id=row.message_id, step=row.step, attempt=row.attempts, uncertain=uncertain)
        return Attempt(row.raw, row.message_id, waiting, uncertain)


def _outcomes(exc: DeliveryError, recipients: list[str]) -> list[RecipientOutcome]:
    """The server's word per recipient; the rest share the transaction's fate (unknown when it broke in DATA)."""
    outcomes = [RecipientOutcome(r, "accepted", 250, f"accepted; queue id {exc.queue_id}" if exc.queue_id else None)
                for r in exc.accepted]
    outcomes += [RecipientOutcome(f.recipient, "refused" if f.permanent else "deferred", f.code, f.message,
                                  at_rcpt=True) for f in exc.refusals]
    named = {o.recipient for o in outcomes}
    if isinstance(exc, TransientDeliveryError):
        status = "unknown" if exc.maybe_delivered else "deferred"
    else:
        status = "refused"
    code = getattr(exc, "code", None)
    outcomes += [RecipientOutcome(r, status, code, str(exc)) for r in recipients if r not in named]
    return outcomes


def _settle(sessions: sessionmaker[Session], outbound_id: int, now: datetime, outcomes: list[RecipientOutcome],
            letters: Callable[[], LetterSettings] | None, *, error: Exception | None = None,
            queue_id: str | None = None, note: str | None = None) -> str:
    """Record the outcomes and decide the row: pending (someone still owed), sent, rerouted or failed."""
    with sessions.begin() as session:
        row = session.get_one(OutboundMessage, outbound_id)
        found = record_outcomes(session, row, outcomes, now)
        row.queue_id = queue_id or row.queue_id
        row.last_error = str(error) if error is not None else None
        accepted = [d.recipient for d in found if d.status == "accepted"]
        refused = [d.recipient for d in found if d.status == "refused"]
        at_rcpt = [o.recipient for o in outcomes if o.status == "refused" and o.at_rcpt]
        context: dict[str, Any] = dict(business_id=row.business_id, invoice_id=row.invoice_id, outbound_id=row.id,
                                       message_id=row.message_id, step=row.step)
        common: dict[str, Any] = dict(at=now, business_id=row.business_id, invoice_id=row.invoice_id,
                                      debtor_id=row.debtor_id, outbound_message_id=row.id, step=row.step)
        debtor = refused_contact(session, row, at_rcpt) if at_rcpt else None  # none refused: no debtor to load
        if waiting := outstanding_of(row, found):
            row.status = "pending"
            log.info("send_recipients_waiting", **context, accepted=accepted, refused=refused,
                     waiting=waiting, error=type(error).__name__ if error else None)
        elif accepted:
            row.status, row.sent_at = "sent", now
            record_event(session, EventKind.REMINDER_SENT, message_id=row.message_id, to=row.to_addresses,
                         cc=row.cc_addresses, queue_id=row.queue_id, deliveries=as_dicts(found), note=note,
                         **common)
            log.info("reminder_sent", **context, queue_id=row.queue_id, recipients=len(accepted),
                     refused=refused, proof=note)
        elif debtor is not None:
            release_step(session, row)
            record_event(session, EventKind.DELIVERY_FAILED, error=row.last_error, failed_recipients=refused,
                         code=next((d.code for d in found if d.status == "refused"), None),
                         deliveries=as_dicts(found), rerouted=True, **common)
            log.warning("reminder_rerouted", **context, refused=refused)
        else:
            row.status = "failed"  # the caller gives up: recorded, told and listed for review (delivery_failures)
        if debtor is not None and not debtor.contact_undeliverable:
            mark_unreachable(session, row, debtor, now, letters)
        return row.status
