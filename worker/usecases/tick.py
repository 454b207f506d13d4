"""The periodic decision: per business, group what the ladder says is due into one message per debtor and
record it (outbox + timeline) before anything is sent."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import holidays
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from worker.adapters.letters import LetterSettings, compose_reminder, debtor_law
from worker.db.models import Business, Debtor, Invoice, OutboundInvoice, OutboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.facts import InvoiceFacts
from worker.domain.grouping import DebtorInvoice, MessageGroup, group_due
from worker.domain.policy import LadderPolicy
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import PaymentRecord, assess
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus
from worker.domain.step import SentStep, Step
from worker.domain.thanks import thank_you_due
from worker.logs import get_logger
from worker.usecases.delivery_failures import escalate_failures
from worker.usecases.ledger import open_amount
from worker.usecases.letter_facts import letter_facts
from worker.usecases.notice_texts import general_address_missing, pdf_unavailable
from worker.usecases.notices import notify_business
from worker.usecases.outbox import record_outbound, templates_for
from worker.usecases.payment_plans import current_plan
from worker.usecases.send import CLAIM_LEASE
from worker.usecases.timeline import record_event
from worker.usecases.unproven_mail import summarise_unproven_mail

log = get_logger(__name__)


@dataclass
class TickReport:
    recorded: list[int] = field(default_factory=list)  # outbound message ids, to be enqueued
    handed_off: list[int] = field(default_factory=list)
    failed: dict[int, str] = field(default_factory=dict)


def sending_window(business: Business, now: datetime) -> SendingWindow:
    """The business's window; public holidays come from the maintained `holidays` package."""
    country = business.settings.get("country", "NL")
    days = frozenset(holidays.country_holidays(country, years=range(now.year - 1, now.year + 2)).keys())
    return SendingWindow(timezone=business.timezone, holidays=days)


def payment_history(session: Session, debtor: Debtor, today: date) -> list[PaymentRecord]:
    """Due and paid dates of the debtor's invoices (the paid date from the last recorded payment)."""
    history = []
    for invoice in session.scalars(select(Invoice).where(Invoice.debtor_id == debtor.id,
                                                         Invoice.due_date.is_not(None))):
        paid_on = None
        if invoice.status == InvoiceStatus.PAID.value:
            last_payment = session.scalars(select(TimelineEvent.data).where(
                TimelineEvent.invoice_id == invoice.id, TimelineEvent.kind == EventKind.PAYMENT_RECORDED.value
            ).order_by(TimelineEvent.at.desc(), TimelineEvent.id.desc())).first()
            paid_on = date.fromisoformat(last_payment["paid_on"]) if last_payment else today
        assert invoice.due_date is not None
        history.append(PaymentRecord(invoice.due_date, paid_on))
    return history


def debtor_policy(session: Session, business: Business, debtor: Debtor, window: SendingWindow,
                  today: date) -> LadderPolicy:
    """The ladder for this debtor's segment, computed from its payment history (due vs. paid dates), under the
    law of its country (see `worker.domain.letter_plan.law_country`).

    A consumer gets the consumer ladder (the NL 14-dagenbrief, the BE free first reminder) only when the
    business charges collection costs: that letter exists to make those costs chargeable.
    """
    segment = assess(payment_history(session, debtor, today), today).segment
    latest = session.scalars(select(Invoice).where(Invoice.debtor_id == debtor.id)
                             .order_by(Invoice.id.desc()).limit(1)).all()
    law = debtor_law(business, debtor, list(latest))
    return policy_for(segment, law.needs_term_letter, window, law.country)


def invoice_facts(session: Session, invoice: Invoice, debtor: Debtor) -> InvoiceFacts:
    """The decision's inputs, derived from the outbox and the timeline (never from mutable counters)."""
    sent = session.execute(
        select(OutboundInvoice.step, OutboundMessage.created_at)
        .join(OutboundMessage, OutboundMessage.id == OutboundInvoice.outbound_message_id)
        .where(OutboundInvoice.invoice_id == invoice.id, OutboundMessage.status != "rerouted")
        .order_by(OutboundMessage.created_at)
    ).all()
    # A message every recipient refused reached nobody: it neither takes its step nor starts the minimum gap.
    debtor_last = session.scalar(select(func.max(OutboundMessage.created_at)).where(
        OutboundMessage.debtor_id == invoice.debtor_id,
        OutboundMessage.status.not_in(("cancelled", "rerouted"))))  # never went out
    promises = session.scalars(select(TimelineEvent.data).where(
        TimelineEvent.invoice_id == invoice.id, TimelineEvent.kind == EventKind.PROMISE_TO_PAY_RECORDED.value
    ).order_by(TimelineEvent.at, TimelineEvent.id)).all()
    reported = session.scalars(select(TimelineEvent.data).where(
        TimelineEvent.invoice_id == invoice.id, TimelineEvent.kind == EventKind.PAYMENT_REPORTED.value)).all()
    assert invoice.due_date is not None
    return InvoiceFacts(
        status=InvoiceStatus(invoice.status),
        due_date=invoice.due_date,
        open_amount=open_amount(invoice),
        sent_steps=frozenset(step for step, _ in sent),
        last_message_at=max((at for _, at in sent), default=None),
        issue_date=invoice.issue_date,
        sent_history=tuple(SentStep(step, at) for step, at in sent),
        debtor_last_message_at=debtor_last,
        # No address left that takes mail (contact refused, no general address): paper.
        offline=debtor.offline or (debtor.contact_undeliverable and not debtor.general_email),
        promise_until=date.fromisoformat(promises[-1]["promised_date"]) if promises else None,
        promises=len(promises),
        # A payment the debtor reported holds the ladder until its grace period ends (never books money).
        paused_until=max((date.fromisoformat(r["hold_until"]) for r in reported if r.get("hold_until")), default=None),
        plan=current_plan(session, invoice),
        term_letter_by_post=bool(debtor.is_consumer) and not debtor.email_consent,
    )


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
                    _hand_off(sessions, group, now, report)
                else:
                    _record(sessions, business_id, group, now, letters, report)
            except IntegrityError:
                log.info("step_recorded_elsewhere", business_id=business_id, debtor_id=group.debtor_id,
                         invoice_ids=list(group.invoice_ids), step=group.step.name)
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


def _locked_open_invoices(session: Session, group: MessageGroup) -> list[Invoice] | None:
    """Row locks on PostgreSQL so two ticks never record one debtor's group at once; the unique
    (invoice, step) link is the backstop, and the only guard on SQLite. None: someone else has them."""
    invoices = list(session.scalars(select(Invoice).where(Invoice.id.in_(group.invoice_ids))
                                    .order_by(Invoice.id).with_for_update(skip_locked=True)))
    if len(invoices) != len(group.invoice_ids):
        return None
    return [i for i in invoices if i.status == InvoiceStatus.OPEN.value] or None


def _hand_off(sessions: sessionmaker[Session], group: MessageGroup, now: datetime, report: TickReport) -> None:
    with sessions.begin() as session:
        for invoice in _locked_open_invoices(session, group) or []:
            invoice.status, invoice.status_reason = InvoiceStatus.HANDED_OFF.value, "every reminder went unanswered"
            record_event(session, EventKind.HANDED_OFF, at=now, business_id=invoice.business_id,
                         invoice_id=invoice.id, debtor_id=invoice.debtor_id, step=group.step.name)
            report.handed_off.append(invoice.id)
            log.info("invoice_handed_off", business_id=invoice.business_id, debtor_id=invoice.debtor_id,
                     invoice_id=invoice.id, step=group.step.name)


def _record(sessions: sessionmaker[Session], business_id: int, group: MessageGroup, now: datetime,
            letters: LetterSettings, report: TickReport) -> None:
    step = group.step
    with sessions.begin() as session:
        invoices = _locked_open_invoices(session, group)
        if invoices is None:
            return
        business = session.get_one(Business, business_id)
        debtor = session.get_one(Debtor, group.debtor_id)
        try:
            letter = compose_reminder(
                business=business, debtor=debtor, invoices=invoices, step=step, now=now, deadline=group.deadline,
                letters=letters, templates=templates_for(session, business_id, debtor),
                plan=current_plan(session, invoices[0]), facts=letter_facts(session, invoices),
                channel=group.channel)
        except Exception as exc:  # a broken template or converter must stop this letter, not the tick
            for invoice in invoices:
                invoice.status, invoice.status_reason = (InvoiceStatus.REVIEW.value,
                                                         f"letter could not be made: {exc}")
                record_event(session, EventKind.LETTER_FAILED, at=now, business_id=business_id,
                             invoice_id=invoice.id, debtor_id=debtor.id, step=step.name, error=str(exc))
                report.failed[invoice.id] = str(exc)
            log.warning("letter_failed", business_id=business_id, debtor_id=debtor.id,
                        invoice_ids=[i.id for i in invoices], step=step.name, error=str(exc))
            return
        # A debtor who is rarely online gets paper: the business prints and posts it from the print queue.
        outbound = record_outbound(session, business_id=business_id, debtor_id=debtor.id, invoices=invoices,
                                   step=step.name, letter=letter, now=now,
                                   status="to_print" if group.channel == "letter" else "pending")
        missing = general_address_missing(business.language, debtor.id, debtor.name or debtor.contact_email,
                                          step.name) if letter.addressing.general_missing else None
        for invoice in invoices:
            record_event(session, EventKind.REMINDER_RECORDED, at=now, business_id=business_id,
                         invoice_id=invoice.id, debtor_id=debtor.id, step=step.name, outbound_message_id=outbound.id,
                         to=letter.addressing.to, cc=letter.addressing.cc, invoices=[i.number for i in invoices],
                         channel=group.channel, language=letter.language, template=letter.template,
                         deadline=group.deadline.isoformat() if group.deadline else None)
            if missing is not None:
                record_event(session, EventKind.GENERAL_ADDRESS_MISSING, at=now, business_id=business_id,
                             invoice_id=invoice.id, debtor_id=debtor.id, step=step.name,
                             message=f"{missing.message} {missing.action} ({missing.api})")
        if missing is not None:
            notify_business(session, business, missing, now=now, letters=letters, invoice_id=invoices[0].id,
                            debtor_id=debtor.id)
        if letters.pdf_missing:  # told once per business (the notice's Message-ID is deterministic)
            notify_business(session, business, pdf_unavailable(business.language), now=now, letters=letters)
        session.flush()  # the unique (invoice, step) link raises here when another tick was first
        if outbound.status == "pending":
            report.recorded.append(outbound.id)
        log.info("reminder_recorded", business_id=business_id, debtor_id=debtor.id,
                 invoice_ids=[i.id for i in invoices], step=step.name, channel=group.channel,
                 outbound_message_id=outbound.id, message_id=outbound.message_id, status=outbound.status)
        if group.channel == "letter" and step.statutory_term and not debtor.offline:
            _email_copy(session, business, debtor, invoices, group, now, letters, report)


def _email_copy(session: Session, business: Business, debtor: Debtor, invoices: list[Invoice], group: MessageGroup,
                now: datetime, letters: LetterSettings, report: TickReport) -> None:
    """The consumer reads the posted 14-day letter's content by e-mail too, as a copy: the term still counts
    from the letter's delivery, so the copy can only give more time, never less."""
    step = group.step
    copy = compose_reminder(business=business, debtor=debtor, invoices=invoices, step=step, now=now,
                            deadline=group.deadline, letters=letters, key_suffix=".copy",
                            templates=templates_for(session, business.id, debtor),
                            facts=letter_facts(session, invoices), channel="letter", copy=True)
    row = record_outbound(session, business_id=business.id, debtor_id=debtor.id, invoices=invoices,
                          step=f"{step.name}.email_copy", letter=copy, now=now)
    session.flush()
    report.recorded.append(row.id)


THANK_YOU = Step("thank_you", 0, "thank_you")
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
            debtor = session.get_one(Debtor, invoice.debtor_id)
            letter = compose_reminder(business=business, debtor=debtor, invoices=[invoice], step=THANK_YOU, now=now,
                                      letters=letters, templates=templates_for(session, business_id, debtor))
            row = record_outbound(session, business_id=business_id, debtor_id=debtor.id, invoices=[invoice],
                                  step=THANK_YOU.name, letter=letter, now=now)
            record_event(session, EventKind.THANK_YOU_RECORDED, at=now, business_id=business_id,
                         invoice_id=invoice.id, debtor_id=debtor.id, outbound_message_id=row.id)
            report.recorded.append(row.id)
            log.info("thank_you_recorded", business_id=business_id, debtor_id=debtor.id, invoice_id=invoice.id,
                     outbound_message_id=row.id, message_id=row.message_id)
