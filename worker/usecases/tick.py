"""The periodic decision: per business, group what the ladder says is due into one message per debtor and
record it (outbox + timeline) before anything is sent."""

from collections.abc import Callable
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from worker.adapters.letters import LetterSettings
from worker.db.models import Business, Debtor, Invoice, OutboundInvoice, OutboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.grouping import DebtorInvoice, MessageGroup, group_due
from worker.domain.status import InvoiceStatus
from worker.domain.thanks import thank_you_due
from worker.logs import get_logger
from worker.usecases.decision_inputs import debtor_policy, invoice_facts, sending_window
from worker.usecases.delivery_failures import escalate_failures
from worker.usecases.notices import flush_notices
from worker.usecases.record_steps import THANK_YOU, hand_off, record_group, record_thank_you
from worker.usecases.send import CLAIM_LEASE
from worker.usecases.tick_report import TickReport
from worker.usecases.unproven_mail import summarise_unproven_mail

log = get_logger(__name__)

__all__ = ["TickReport", "run_tick"]


def run_tick(sessions: sessionmaker[Session], now: datetime, letters: LetterSettings,
             enqueue_send: Callable[[int, bool], None]) -> TickReport:
    """Decide and record due steps, then enqueue their sends after commit; safe to run on many workers."""
    report = TickReport()
    with sessions.begin() as session:
        business_ids = session.scalars(select(Business.id).order_by(Business.id)).all()
    for business_id in business_ids:
        summarise_unproven_mail(sessions, business_id, now, letters)
        _thank_on_time_payers(sessions, business_id, now, letters, report)
        for kind, group in _due_groups(sessions, business_id, now):
            try:
                if kind == "handoff":
                    hand_off(sessions, group, now, report)
                else:
                    record_group(sessions, business_id, group, now, letters, report)
            except IntegrityError:
                log.info("step_recorded_elsewhere", business_id=business_id, debtor_id=group.debtor_id,
                         invoice_ids=list(group.invoice_ids), step=group.step.name)
    with sessions.begin() as session:  # notices that waited out their hour leave now, even with no mail coming in
        flush_notices(session, now, letters)
    _sweep(sessions, now, letters, enqueue_send, report)
    return report


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


def _due_groups(sessions: sessionmaker[Session], business_id: int, now: datetime
                ) -> list[tuple[str, MessageGroup]]:
    with sessions.begin() as session:
        business = session.get_one(Business, business_id)
        window = sending_window(business, now)
        today = window.local_date(now)
        invoices = session.scalars(select(Invoice).where(
            Invoice.business_id == business_id, Invoice.status == InvoiceStatus.OPEN.value,
            Invoice.due_date.is_not(None)).order_by(Invoice.id)).all()
        debtors = {i.debtor_id: session.get_one(Debtor, i.debtor_id) for i in invoices}
        policies = {d.id: debtor_policy(session, business, d, window, today) for d in debtors.values()}
        items = [DebtorInvoice(i.debtor_id, i.id, invoice_facts(session, i, debtors[i.debtor_id]),
                               policies[i.debtor_id]) for i in invoices]
    batch = group_due(items, now)
    return [("handoff", g) for g in batch.handoffs] + [("message", g) for g in batch.messages]


THANK_WITHIN = timedelta(days=14)  # a thank-you weeks later reads odd; older payments are not thanked


def _thank_on_time_payers(sessions: sessionmaker[Session], business_id: int, now: datetime,
                          letters: LetterSettings, report: TickReport) -> None:
    """Thank customers who paid on time, once per invoice (businesses switch it off with settings.thank_you)."""
    with sessions.begin() as session:
        business = session.get_one(Business, business_id)
        window = sending_window(business, now)
        if not business.settings.get("thank_you", True) or not window.is_open(now):
            return
        thanked = select(OutboundInvoice.invoice_id).where(OutboundInvoice.step == THANK_YOU.name)
        paid = session.scalars(select(Invoice).where(
            Invoice.business_id == business_id, Invoice.status == InvoiceStatus.PAID.value,
            Invoice.due_date.is_not(None), Invoice.id.not_in(thanked)).order_by(Invoice.id)).all()
        for invoice in paid:
            payment = session.scalars(select(TimelineEvent).where(
                TimelineEvent.invoice_id == invoice.id, TimelineEvent.kind == EventKind.PAYMENT_RECORDED.value
            ).order_by(TimelineEvent.at.desc(), TimelineEvent.id.desc())).first()
            if payment is None or now - payment.at > THANK_WITHIN:
                continue
            assert invoice.due_date is not None
            if not thank_you_due(invoice.due_date, date.fromisoformat(payment.data["paid_on"]), False, True):
                continue
            record_thank_you(session, business, invoice, now, letters, report)
