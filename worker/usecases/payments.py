"""Record a payment (full or partial) against an invoice."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from worker.db.models import Invoice
from worker.domain.events import EventKind
from worker.domain.status import InvoiceStatus
from worker.usecases.timeline import record_event


class PaymentRejected(ValueError):
    """The payment cannot be recorded as given; the message says why."""


def record_payment(session: Session, invoice: Invoice, amount: Decimal, *, paid_on: date | None,
                   note: str | None, now: datetime) -> Invoice:
    """Add a payment; an invoice paid in full leaves the ladder for good, a part payment lowers what is asked."""
    if amount <= 0:
        raise PaymentRejected("the amount paid must be positive")
    if invoice.status == InvoiceStatus.CREDITED.value:
        raise PaymentRejected("the invoice was credited; a payment cannot be recorded on it")
    invoice.amount_paid = (invoice.amount_paid or Decimal(0)) + amount
    remaining = (invoice.amount_due or Decimal(0)) - invoice.amount_paid
    if remaining <= 0:
        invoice.status, invoice.status_reason = InvoiceStatus.PAID.value, None
    record_event(session, EventKind.PAYMENT_RECORDED, at=now, business_id=invoice.business_id,
                 invoice_id=invoice.id, debtor_id=invoice.debtor_id, amount=str(amount),
                 paid_on=(paid_on or now.date()).isoformat(), remaining=str(max(remaining, Decimal(0))), note=note)
    return invoice
