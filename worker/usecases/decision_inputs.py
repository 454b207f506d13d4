"""The inputs of the ladder decision for one invoice: its facts, its debtor's policy, the business's window."""

from datetime import date, datetime

import holidays
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from worker.adapters.letters import debtor_law
from worker.db.models import Business, Debtor, Invoice, OutboundInvoice, OutboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.facts import InvoiceFacts
from worker.domain.policy import LadderPolicy
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import PaymentRecord, assess
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus
from worker.domain.step import SentStep
from worker.usecases.ledger import open_amount
from worker.usecases.payment_plans import current_plan


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
