"""The periodic decision: take the invoices whose `next_action_at` has come (through its index, in batches),
group what the ladder says is due into one message per debtor, record it (outbox + timeline) before anything is
sent, and write each invoice's next moment. A tick with nothing due costs a few statements, whatever the number
of open invoices."""

import secrets
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from worker.adapters.letters import LetterSettings
from worker.db.fact_changes import apply_wakes
from worker.db.models import Business, Invoice, OutboundMessage
from worker.domain.grouping import MessageGroup
from worker.domain.next_action import THANK_WITHIN
from worker.logs import get_logger
from worker.usecases.delivery_failures import escalate_failures
from worker.usecases.due_batch import Decided, decide_batch
from worker.usecases.notices import flush_notices
from worker.usecases.record_steps import hand_off, record_group, record_thank_you
from worker.usecases.send import CLAIM_LEASE
from worker.usecases.tick_report import TickReport
from worker.usecases.unproven_mail import summarise_unproven_mail

log = get_logger(__name__)

__all__ = ["BATCH", "THANK_WITHIN", "TickReport", "run_tick"]

BATCH = 1_000  # invoices claimed per transaction
# A claimed invoice's moment while its worker decides: if that worker dies, another takes it after this.
DECIDING_LEASE = timedelta(minutes=5)
_LATER = timedelta(microseconds=1)  # "not again in this tick": due but not recorded here (another worker has it)


def run_tick(sessions: sessionmaker[Session], now: datetime, letters: LetterSettings,
             enqueue_send: Callable[[int, bool], None]) -> TickReport:
    """Decide and record due steps, then enqueue their sends after commit; safe to run on many workers."""
    report = TickReport()
    with sessions.begin() as session:
        business_ids = session.scalars(select(Business.id).order_by(Business.id)).all()
    for business_id in business_ids:
        summarise_unproven_mail(sessions, business_id, now, letters)
    while claimed := _claim(sessions, now):
        decided = _decide(sessions, list(claimed), now)
        _record(sessions, decided, now, letters, report)
        _settle(sessions, claimed, decided, now)
    with sessions.begin() as session:  # notices that waited out their hour leave now, even with no mail coming in
        flush_notices(session, now, letters)
    _sweep(sessions, now, letters, enqueue_send, report)
    return report


def _claim(sessions: sessionmaker[Session], now: datetime) -> dict[int, datetime]:
    """Take up to `BATCH` invoices whose moment has come, setting it to a lease only this claim knows (a crashed
    worker's invoices come back when it ends). Locked rows are skipped on PostgreSQL, so workers split the work."""
    lease = now + DECIDING_LEASE + timedelta(microseconds=secrets.randbelow(1_000_000))
    with sessions.begin() as session:
        apply_wakes(session)  # facts changed since: those invoices are due for a new decision
        due = (select(Invoice.id).where(Invoice.next_action_at <= now).order_by(Invoice.next_action_at)
               .limit(BATCH).with_for_update(skip_locked=True))
        ids = session.scalars(update(Invoice).where(Invoice.id.in_(due.scalar_subquery()))
                              .values(next_action_at=lease).returning(Invoice.id)
                              .execution_options(synchronize_session=False)).all()
    return dict.fromkeys(ids, lease)


def _decide(sessions: sessionmaker[Session], invoice_ids: list[int], now: datetime) -> Decided:
    with sessions.begin() as session:
        return decide_batch(session, invoice_ids, now)


def _record(sessions: sessionmaker[Session], decided: Decided, now: datetime, letters: LetterSettings,
            report: TickReport) -> None:
    """Record hand-offs, then messages, then thank-you notes; each in its own transaction, once (the unique
    (invoice, step) link stops a second worker that decided the same)."""
    groups: list[tuple[str, MessageGroup]] = ([("handoff", g) for g in decided.groups.handoffs]
                                              + [("message", g) for g in decided.groups.messages])
    for kind, group in groups:
        business_id = decided.business_of[group.debtor_id]
        try:
            if kind == "handoff":
                hand_off(sessions, group, now, report)
            else:
                record_group(sessions, business_id, group, now, letters, report)
        except IntegrityError:
            log.info("step_recorded_elsewhere", business_id=business_id, debtor_id=group.debtor_id,
                     invoice_ids=list(group.invoice_ids), step=group.step.name)
    for invoice_id in decided.thank:
        try:
            with sessions.begin() as session:
                invoice = session.get_one(Invoice, invoice_id)
                record_thank_you(session, session.get_one(Business, invoice.business_id), invoice, now, letters,
                                 report)
        except IntegrityError:
            log.info("thank_you_recorded_elsewhere", invoice_id=invoice_id)


def _settle(sessions: sessionmaker[Session], claimed: dict[int, datetime], decided: Decided,
            now: datetime) -> None:
    """Write each claimed invoice's next moment, unless a fact changed since it was claimed (the change set it
    to "decide again", which must stay). What was due now and is still claimed was not recorded by this worker:
    the next tick looks again."""
    rows = [{"invoice_id": invoice_id, "lease": lease,
             "moment": None if (m := decided.next_at.get(invoice_id)) is None else max(m, now + _LATER)}
            for invoice_id, lease in claimed.items()]
    table = cast(Table, Invoice.__table__)
    with sessions.begin() as session:
        session.connection().execute(
            update(table).where(table.c.id == bindparam("invoice_id"), table.c.next_action_at == bindparam("lease"))
            .values(next_action_at=bindparam("moment")), rows)


def _sweep(sessions: sessionmaker[Session], now: datetime, letters: LetterSettings,
           enqueue_send: Callable[[int, bool], None], report: TickReport) -> None:
    """Enqueue every row whose moment has come (after a Redis flush the database is the only record), the
    abandoned claims of dead senders, and nothing else: a retry waits for its `next_attempt_at`. Failures
    nobody told the business about yet (the worker died after giving up) are told here."""
    with sessions.begin() as session:
        due = session.execute(select(OutboundMessage.id, OutboundMessage.status).where(
            ((OutboundMessage.status == "pending")
             & (OutboundMessage.next_attempt_at.is_(None) | (OutboundMessage.next_attempt_at <= now)))
            | ((OutboundMessage.status == "sending") & (OutboundMessage.claimed_at < now - CLAIM_LEASE))
        )).all()
    escalate_failures(sessions, now, letters)
    waiting = {oid: False for oid in report.recorded} | {row.id: row.status == "sending" for row in due}
    for outbound_id, claim_expired in sorted(waiting.items()):
        enqueue_send(outbound_id, claim_expired)
