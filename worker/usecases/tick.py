"""The periodic decision: for every open invoice, record the ladder step that is due (outbox + timeline)."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

import holidays
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from worker.adapters.letters import LetterSettings, compose_reminder
from worker.db.models import Business, Debtor, Invoice, OutboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.ladder import InvoiceFacts, LadderPolicy, NothingDue, StepDue, decide
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus
from worker.usecases.send import CLAIM_LEASE
from worker.usecases.timeline import record_event

log = logging.getLogger(__name__)


@dataclass
class TickReport:
    recorded: list[int] = field(default_factory=list)  # outbound message ids, to be enqueued
    handed_off: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def policy_for(business: Business, now: datetime) -> LadderPolicy:
    """The business's ladder policy; public holidays come from the maintained `holidays` package."""
    country = business.settings.get("country", "NL")
    years = range(now.year - 1, now.year + 2)
    days = frozenset(holidays.country_holidays(country, years=years).keys())
    return LadderPolicy(window=SendingWindow(timezone=business.timezone, holidays=days))


def invoice_facts(session: Session, invoice: Invoice) -> InvoiceFacts:
    """The decision's inputs, derived from the outbox and the timeline (never from mutable counters)."""
    sent = session.execute(
        select(OutboundMessage.step, OutboundMessage.created_at).where(OutboundMessage.invoice_id == invoice.id)
    ).all()
    debtor_last = session.scalar(select(func.max(OutboundMessage.created_at)).where(
        OutboundMessage.debtor_id == invoice.debtor_id))
    promises = session.scalars(select(TimelineEvent.data).where(
        TimelineEvent.invoice_id == invoice.id, TimelineEvent.kind == EventKind.PROMISE_TO_PAY_RECORDED.value
    ).order_by(TimelineEvent.at, TimelineEvent.id)).all()
    assert invoice.due_date is not None
    return InvoiceFacts(
        status=InvoiceStatus(invoice.status),
        due_date=invoice.due_date,
        open_amount=(invoice.amount_due or 0) - (invoice.amount_paid or 0),
        sent_steps=frozenset(step for step, _ in sent),
        last_message_at=max((at for _, at in sent), default=None),
        issue_date=invoice.issue_date,
        debtor_last_message_at=debtor_last,
        promise_until=date.fromisoformat(promises[-1]["promised_date"]) if promises else None,
        promises=len(promises),
    )


def run_tick(sessions: sessionmaker[Session], now: datetime, letters: LetterSettings,
             enqueue_send: Callable[[int, int], None]) -> TickReport:
    """Decide and record due steps, then enqueue their sends after commit; safe to run on many workers."""
    report = TickReport()
    with sessions.begin() as session:
        ids = session.scalars(
            select(Invoice.id).where(Invoice.status == InvoiceStatus.OPEN.value, Invoice.due_date.is_not(None))
            .order_by(Invoice.id)
        ).all()
        pending = session.execute(select(OutboundMessage.id, OutboundMessage.attempts).where(
            (OutboundMessage.status == "pending")
            | ((OutboundMessage.status == "sending") & (OutboundMessage.claimed_at < now - CLAIM_LEASE))
        )).all()
    policies: dict[int, LadderPolicy] = {}
    for invoice_id in ids:
        try:
            _tick_invoice(sessions, invoice_id, now, letters, policies, report)
        except IntegrityError:
            log.info("invoice %s: another worker recorded this step first", invoice_id)
    # Re-enqueue whatever is still pending too: after a Redis flush the database is the only record.
    waiting = {(oid, 0) for oid in report.recorded} | {(row.id, row.attempts) for row in pending}
    for outbound_id, attempts in sorted(waiting):
        enqueue_send(outbound_id, attempts)
    return report


def _tick_invoice(sessions: sessionmaker[Session], invoice_id: int, now: datetime, letters: LetterSettings,
                  policies: dict[int, LadderPolicy], report: TickReport) -> None:
    with sessions.begin() as session:
        # Row lock (PostgreSQL) so two ticks never decide the same invoice at once; the unique
        # (invoice, step) constraint is the backstop, and the only guard on SQLite.
        invoice = session.scalars(
            select(Invoice).where(Invoice.id == invoice_id).with_for_update(skip_locked=True)
        ).first()
        if invoice is None or invoice.status != InvoiceStatus.OPEN.value:
            return
        business = session.get_one(Business, invoice.business_id)
        if business.id not in policies:
            policies[business.id] = policy_for(business, now)
        decision = decide(invoice_facts(session, invoice), now, policies[business.id])
        if isinstance(decision, NothingDue):
            return
        assert isinstance(decision, StepDue)
        step = decision.step
        debtor = session.get_one(Debtor, invoice.debtor_id)
        common = dict(at=now, business_id=business.id, invoice_id=invoice.id, debtor_id=debtor.id)
        if step.template is None:
            invoice.status, invoice.status_reason = InvoiceStatus.HANDED_OFF.value, "every reminder went unanswered"
            record_event(session, EventKind.HANDED_OFF, step=step.name, **common)
            report.handed_off.append(invoice.id)
            return
        try:
            letter = compose_reminder(business=business, debtor=debtor, invoice=invoice, step=step, now=now,
                                      letters=letters)
        except Exception as exc:  # a broken template or converter must stop this letter, not the tick
            invoice.status, invoice.status_reason = InvoiceStatus.REVIEW.value, f"letter could not be made: {exc}"
            record_event(session, EventKind.LETTER_FAILED, step=step.name, error=str(exc), **common)
            report.failed[invoice.id] = str(exc)
            return
        outbound = OutboundMessage(
            business_id=business.id, debtor_id=debtor.id, invoice_id=invoice.id, step=step.name,
            message_id=letter.message_id, to_addresses=letter.addressing.to, cc_addresses=letter.addressing.cc,
            subject=letter.subject, raw=letter.message.as_bytes(), status="pending", attempts=0, created_at=now,
        )
        session.add(outbound)
        session.flush()
        record_event(session, EventKind.REMINDER_RECORDED, step=step.name, outbound_message_id=outbound.id,
                     to=letter.addressing.to, cc=letter.addressing.cc, **common)
        if letter.addressing.notice:
            record_event(session, EventKind.GENERAL_ADDRESS_MISSING, message=letter.addressing.notice, **common)
        report.recorded.append(outbound.id)

