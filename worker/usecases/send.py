"""Send one recorded outbox message exactly once: claim it, prove or send, record what each recipient got."""

import asyncio
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from mailer.errors import DeliveryError, PermanentDeliveryError, TransientDeliveryError
from mailer.sender import RawSender, Sender, SendReceipt, sendable_as_is
from mailer.sent_copies import SentCopies
from worker.adapters.letters import LetterSettings
from worker.adapters.send_rate import SendRate
from worker.db.models import Business, Debtor, OutboundDelivery, OutboundMessage
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
from worker.usecases.render_outbound import ensure_rendered, ensure_rendered_in, needs_render, settings_for
from worker.usecases.send_guards import Defer, defer, hold_back
from worker.usecases.timeline import record_event

log = get_logger(__name__)

# A claim older than this belongs to a sender that died; the message may be claimed again.
CLAIM_LEASE = timedelta(minutes=15)


@dataclass(frozen=True)
class Attempt:
    raw: bytes | None  # None: the tick recorded only the decision; rendered under the claim before it is sent
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
    return send_batch(sessions, sender, outbound_id, now, schedule, copies=copies, letters=letters, rate=rate,
                      size=1)[outbound_id]


def send_batch(sessions: sessionmaker[Session], sender: Sender, outbound_id: int, now: datetime,
               schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE, *, copies: SentCopies | None = None,
               letters: Callable[[], LetterSettings] | None = None, rate: SendRate | None = None,
               size: int = 1) -> dict[int, str]:
    """`send_outbound` for `outbound_id` and up to `size - 1` other due rows, in four steps whatever their number:
    claim and check all (one transaction), render those the tick only decided (one), then send each over the
    sender's open connection and record its outcome at once. Returns each handled row's status afterwards.

    Each row keeps its own guarantees: claimed before it is sent, its letter stored before it is sent, a
    stale or uncertain row looked for in Sent first. A worker that dies mid-batch leaves its claimed rows not
    yet recorded to the sweep after the lease, uncertain, exactly as a single send would.
    """
    with sessions.begin() as session:
        claims = {outbound_id: _claim_one(session, outbound_id, now)}
        if size > 1:
            claims |= _claim_due(session, outbound_id, size - 1, now)
        statuses: dict[int, str] = {oid: c for oid, c in claims.items() if isinstance(c, str)}
        claimed = {oid: c for oid, c in claims.items() if not isinstance(c, str)}
        _load_parties(session, [row for row, _, _ in claimed.values()])  # read once for the whole batch
        prepared = {oid: _prepare(session, row, found, uncertain, now, rate)
                    for oid, (row, found, uncertain) in claimed.items()}
    statuses |= {oid: p for oid, p in prepared.items() if isinstance(p, str)}
    ready = {oid: p for oid, p in prepared.items() if not isinstance(p, str)}
    unrendered = [oid for oid, attempt in ready.items() if attempt.raw is None]
    if unrendered:
        for oid, raw in _render(sessions, unrendered, letters, now).items():
            if raw is None:
                statuses[oid] = "cancelled"
                del ready[oid]
            else:
                ready[oid] = replace(ready[oid], raw=raw)
    failure: Exception | None = None
    for oid, attempt in ready.items():
        try:
            delivered = _deliver(sender, copies, attempt)
        except Exception as exc:
            # Any other exception leaves this row's claim (and those of the rows after it) in place: the outcome
            # is unknown, and only after the lease may a sweep try again (and look for proof first).
            failure = exc
            break
        # Recorded at once, each in its own transaction: a worker killed mid-batch leaves at most the row in
        # hand unknown, not every letter it already sent.
        with sessions.begin() as session:
            status = _settle_in(session, oid, now, delivered, letters)
        statuses[oid] = _follow_up(sessions, oid, now, delivered, status, schedule)
    if failure is not None:
        raise failure
    return statuses


@dataclass(frozen=True)
class Delivered:
    """What one attempt came to, before it is recorded."""

    outcomes: list[RecipientOutcome]
    error: DeliveryError | None = None
    queue_id: str | None = None
    note: str | None = None


def _deliver(sender: Sender, copies: SentCopies | None, attempt: Attempt) -> Delivered:
    """Prove or send one claimed message; no database work (the caller records the outcome)."""
    assert attempt.raw is not None
    if attempt.uncertain:
        try:
            found_in = look_for_copy(copies, attempt.message_id)
        except TransientDeliveryError as exc:  # no answer: still uncertain, and released for a later try
            return Delivered([RecipientOutcome(r, "unknown", reply=str(exc)) for r in attempt.recipients], exc)
        if found_in is not None:
            note = f"proof: sent copy found in {found_in}"
            return Delivered([RecipientOutcome(r, "accepted", reply=note) for r in attempt.recipients], note=note)
    try:
        receipt = asyncio.run(_transmit(sender, attempt.raw, attempt.recipients))
    except (TransientDeliveryError, PermanentDeliveryError) as exc:
        return Delivered(_outcomes(exc, attempt.recipients), exc)
    accepted = receipt.accepted if receipt is not None else attempt.recipients
    reply = receipt.reply if receipt is not None else None
    keep_copy(copies, attempt.raw, attempt.message_id)
    return Delivered([RecipientOutcome(r, "accepted", 250, reply) for r in accepted],
                     queue_id=receipt.queue_id if receipt is not None else None)


def _follow_up(sessions: sessionmaker[Session], outbound_id: int, now: datetime, delivered: Delivered, status: str,
               schedule: RetrySchedule) -> str:
    """After the outcome is recorded: a transient failure is retried later, a permanent one given up."""
    exc = delivered.error
    if isinstance(exc, TransientDeliveryError):
        return retry_later(sessions, outbound_id, now, exc, schedule)  # the job reschedules itself for then
    if isinstance(exc, PermanentDeliveryError):
        if status == "pending":  # a permanent refusal beside a deferred recipient: that one is retried
            waiting = TransientDeliveryError(f"deferred recipients remain after: {exc}", None, exc.accepted)
            return retry_later(sessions, outbound_id, now, waiting, schedule)
        return give_up(sessions, outbound_id, now, exc) if status == "failed" else status
    return status


async def _transmit(sender: Sender, raw: bytes, recipients: list[str]) -> SendReceipt | None:
    """The stored bytes as they are when the sender can take them (no parse, no re-flattening), else the message."""
    if isinstance(sender, RawSender) and sendable_as_is(raw):
        return await sender.send_bytes(raw, recipients)
    return await sender.send(message_from_bytes(raw, _class=EmailMessage, policy=policy.SMTP), recipients)


Claimed = tuple[OutboundMessage, list[OutboundDelivery], bool]  # the row, its deliveries, uncertain


def _claim_one(session: Session, outbound_id: int, now: datetime) -> Claimed | str:
    """The conditional UPDATE is the claim: of several workers running this job, one wins. A stale claim (its
    sender died) is taken over, but that sender may have reached the server: uncertain."""
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
    found = deliveries(session, row.id)  # read once: the claim's decisions all follow from it
    if uncertain:
        # The dead worker may have reached the server: remembered per recipient, so a deferral by the
        # guards cannot make the next try forget to look for proof.
        found = record_outcomes(session, row, [RecipientOutcome(r, "unknown", reply="its sender died mid-send")
                                               for r in outstanding_of(row, found)], now, found)
    return row, found, uncertain


def _claim_due(session: Session, taken: int, limit: int, now: datetime) -> dict[int, Claimed | str]:
    """Up to `limit` more rows that are due (pending, their retry time come), claimed with one UPDATE; rows
    another worker holds are skipped (SKIP LOCKED on PostgreSQL; SQLite has one writer at a time)."""
    ids = list(session.scalars(
        select(OutboundMessage.id).where(OutboundMessage.status == "pending", OutboundMessage.id != taken,
                                         OutboundMessage.next_attempt_at.is_(None)
                                         | (OutboundMessage.next_attempt_at <= now))
        .order_by(OutboundMessage.id).limit(limit).with_for_update(skip_locked=True)))
    if not ids:
        return {}
    claimed = set(session.scalars(
        update(OutboundMessage).where(OutboundMessage.id.in_(ids), OutboundMessage.status == "pending")
        .values(status="sending", claimed_at=now, attempts=OutboundMessage.attempts + 1)
        .returning(OutboundMessage.id).execution_options(synchronize_session=False)))
    if not claimed:
        return {}
    found = _rows_and_deliveries(session, sorted(claimed))
    return {row.id: (row, found[row.id], False) for row in session.info["batch_rows"]}


def _rows_and_deliveries(session: Session, outbound_ids: list[int]) -> dict[int, list[OutboundDelivery]]:
    """The rows (fresh, held by the session for its lookups by id) and their deliveries, two queries in all."""
    rows = session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(outbound_ids))
                           .order_by(OutboundMessage.id).execution_options(populate_existing=True)).all()
    session.info["batch_rows"] = rows
    found: dict[int, list[OutboundDelivery]] = {row.id: [] for row in rows}
    for delivery in session.scalars(select(OutboundDelivery).where(OutboundDelivery.outbound_message_id.in_(found))
                                    .order_by(OutboundDelivery.id)):
        found[delivery.outbound_message_id].append(delivery)
    return found


def _load_parties(session: Session, rows: list[OutboundMessage]) -> None:
    """The rows' businesses and debtors, read with one query each and held by the session until its end (its
    identity map keeps only objects someone references, and the checks and renders look them up per row)."""
    if len(rows) < 2:
        return
    session.info["batch_parties"] = [
        *session.scalars(select(Business).where(Business.id.in_({r.business_id for r in rows}))),
        *session.scalars(select(Debtor).where(Debtor.id.in_({r.debtor_id for r in rows if r.debtor_id})))]


def _prepare(session: Session, row: OutboundMessage, found: list[OutboundDelivery], uncertain: bool,
             now: datetime, rate: SendRate | None) -> Attempt | str:
    """The checks after the claim: still owed, due and inside the window, under the send rate; then what to send.
    An attempt without bytes is a letter the tick only decided: it is rendered next, under this claim."""
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
    log.info("send_claimed", business_id=row.business_id, invoice_id=row.invoice_id, outbound_id=row.id,
             message_id=row.message_id, step=row.step, attempt=row.attempts, uncertain=uncertain)
    return Attempt(None if needs_render(row) else row.raw, row.message_id, waiting, uncertain)


def _render(sessions: sessionmaker[Session], outbound_ids: list[int],
            letters: Callable[[], LetterSettings] | None, now: datetime) -> dict[int, bytes | None]:
    """Render the claimed rows the tick only decided and store them (one transaction), before any is sent: a
    retry sends the same bytes. A letter that cannot be made cancels its row (None; see render_outbound)."""
    if len(outbound_ids) == 1:
        return {outbound_ids[0]: ensure_rendered(sessions, outbound_ids[0], letters, now)}
    made: dict[int, bytes | None] = {}
    with sessions.begin() as session, session.no_autoflush:
        # Written at the end: on SQLite the first write takes the database's one write lock, which must not be
        # held while the letters render (other workers claim and record meanwhile).
        rows = session.scalars(select(OutboundMessage).where(OutboundMessage.id.in_(outbound_ids))).all()
        _load_parties(session, list(rows))
        for row in rows:
            made[row.id] = row.raw if ensure_rendered_in(session, row, settings_for(row, letters), now) else None
    return made


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


def _settle_in(session: Session, outbound_id: int, now: datetime, delivered: Delivered,
               letters: Callable[[], LetterSettings] | None, found: list[OutboundDelivery] | None = None) -> str:
    """Record the outcomes and decide the row: pending (someone still owed), sent, rerouted or failed.
    `found`: the row's deliveries when the caller read them in this transaction."""
    outcomes, error, queue_id, note = delivered.outcomes, delivered.error, delivered.queue_id, delivered.note
    row = session.get_one(OutboundMessage, outbound_id)
    found = record_outcomes(session, row, outcomes, now, found)
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
