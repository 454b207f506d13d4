"""Agree a payment plan for an invoice (a debtor who cannot pay at once), and read the one in force."""

from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.adapters.letters import LetterSettings, compose_reminder
from worker.db.models import Business, Debtor, Invoice, OutboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.payment_plan import Instalment, PaymentPlan
from worker.domain.status import InvoiceStatus
from worker.domain.step import Step
from worker.usecases.ledger import open_amount, paid_amount
from worker.usecases.outbox import record_outbound, templates_for
from worker.usecases.timeline import record_event

CONFIRMATION = Step("payment_plan_confirmation", 0, "payment_plan_confirmation")


class PlanRejected(ValueError):
    """The plan cannot be agreed as given; the message says why."""


def current_plan(session: Session, invoice: Invoice) -> PaymentPlan | None:
    """The latest agreed plan, with what has been paid towards it since it was agreed."""
    agreed = session.scalars(select(TimelineEvent.data).where(
        TimelineEvent.invoice_id == invoice.id, TimelineEvent.kind == EventKind.PAYMENT_PLAN_AGREED.value
    ).order_by(TimelineEvent.at.desc(), TimelineEvent.id.desc())).first()
    return plan_from(agreed, invoice)


def plan_from(agreed: dict[str, Any] | None, invoice: Invoice) -> PaymentPlan | None:
    """The plan an agreement event's data describes, with what has been paid towards it since."""
    if agreed is None:
        return None
    instalments = tuple(Instalment(date.fromisoformat(i["due_date"]), Decimal(i["amount"]))
                        for i in agreed["instalments"])
    paid_since = paid_amount(invoice) - Decimal(agreed["paid_before"])
    return PaymentPlan(instalments, paid=max(paid_since, Decimal(0)))


def agree_payment_plan(session: Session, invoice: Invoice, instalments: Sequence[tuple[date, Decimal]], *,
                       now: datetime, letters: LetterSettings) -> OutboundMessage:
    """Record the plan (it replaces the ladder while kept) and send the debtor its confirmation."""
    if invoice.status not in (InvoiceStatus.OPEN.value, InvoiceStatus.PAUSED.value, InvoiceStatus.HANDED_OFF.value):
        raise PlanRejected(f"invoice {invoice.number} is {invoice.status}; a plan needs an unpaid invoice")
    if not instalments:
        raise PlanRejected("a plan needs at least one instalment")
    dates = [d for d, _ in instalments]
    if dates != sorted(dates) or len(set(dates)) != len(dates):
        raise PlanRejected("instalment dates must be distinct and in order")
    if any(amount <= 0 for _, amount in instalments):
        raise PlanRejected("every instalment must be a positive amount")
    remaining = open_amount(invoice)
    total = sum((amount for _, amount in instalments), Decimal(0))
    if total != remaining:
        raise PlanRejected(f"the instalments add up to {total}, but {remaining} is still to pay")
    previous = invoice.status
    invoice.status, invoice.status_reason = InvoiceStatus.OPEN.value, None
    record_event(session, EventKind.PAYMENT_PLAN_AGREED, at=now, business_id=invoice.business_id,
                 invoice_id=invoice.id, debtor_id=invoice.debtor_id, previous_status=previous,
                 paid_before=str(paid_amount(invoice)),
                 instalments=[{"due_date": d.isoformat(), "amount": str(a)} for d, a in instalments])
    session.flush()
    business = session.get_one(Business, invoice.business_id)
    debtor = session.get_one(Debtor, invoice.debtor_id)
    plan = current_plan(session, invoice)
    n = len(session.scalars(select(TimelineEvent.id).where(
        TimelineEvent.invoice_id == invoice.id, TimelineEvent.kind == EventKind.PAYMENT_PLAN_AGREED.value)).all())
    letter = compose_reminder(business=business, debtor=debtor, invoices=[invoice], step=CONFIRMATION, now=now,
                              letters=letters, plan=plan, key_suffix=f".{n}",
                              templates=templates_for(session, business.id, debtor))
    return record_outbound(session, business_id=business.id, debtor_id=debtor.id, invoices=[invoice],
                           step=f"{CONFIRMATION.name}.{n}", letter=letter, now=now)
