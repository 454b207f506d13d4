"""Book a payment on an invoice, or reverse one: immutable events from which the paid amount is derived."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.adapters.letters import LetterSettings
from worker.db.models import Business, Debtor, Invoice, Payment
from worker.domain.events import EventKind
from worker.domain.ledger import EntryKind, ExceedsOpenAmount, split_payment, status_after
from worker.domain.status import InvoiceStatus
from worker.usecases import ledger
from worker.usecases.notices import notify_business
from worker.usecases.overpayment_notice import overpayment_notice
from worker.usecases.timeline import record_event

SOURCES = ("api", "bank", "remittance")


class PaymentRejected(ValueError):
    """The payment (or reversal) cannot be booked as given; the message says why and what to do."""


class PaymentInvalid(PaymentRejected):
    """The request itself is wrong (amount, date): sending it again will not help, changing it will."""


class OverOpenAmount(PaymentInvalid):
    """More than the open amount, without saying the surplus is meant as a credit."""

    def __init__(self, message: str, open_amount: Decimal, currency: str) -> None:
        super().__init__(message)
        self.open_amount, self.currency = open_amount, currency


class PaymentNotFound(PaymentRejected):
    """No such payment on this invoice."""


def _amount(currency: str, amount: Decimal) -> str:
    return f"{currency} {amount:.2f}"


def _today(business: Business, now: datetime) -> date:
    """The business's calendar day: a payment made this morning in Amsterdam is not 'in the future' at 00:30."""
    return now.astimezone(ZoneInfo(business.timezone)).date()


def record_payment(session: Session, invoice: Invoice, amount: Decimal, *, paid_on: date | None,
                   note: str | None, now: datetime, source: str = "api", overpayment: bool = False,
                   who: str | None = None, letters: LetterSettings | None = None) -> Payment:
    """Book money received; paid in full, the invoice leaves the ladder; a part payment lowers what is asked.

    More than the open amount is refused unless `overpayment`: then the invoice is paid and the surplus is kept
    as the debtor's credit, and the business is told once (which needs `letters`).
    """
    if source not in SOURCES:
        raise ValueError(f"unknown payment source {source!r}; use one of {', '.join(SOURCES)}")
    if overpayment and letters is None:
        raise TypeError("record_payment(overpayment=True) needs `letters` to tell the business about the credit")
    currency = invoice.currency or "EUR"
    if amount <= 0:
        raise PaymentInvalid("the amount paid must be positive")
    business = session.get_one(Business, invoice.business_id)
    today = _today(business, now)
    if paid_on is not None and paid_on > today:
        raise PaymentInvalid(f"the payment date {paid_on.isoformat()} is in the future (today is "
                             f"{today.isoformat()}); give the date the money arrived")
    ledger.lock(session, invoice)
    if invoice.status == InvoiceStatus.CREDITED.value:
        raise PaymentRejected(f"invoice {invoice.number} was credited; a payment cannot be booked on it. Refund "
                              "the money or book it on the invoice that replaced this one")
    if invoice.amount_due is None:
        raise PaymentRejected(f"the amount of invoice {invoice.number} is not known yet (it is held for review); "
                              "correct the invoice first, then book the payment")
    open_before = ledger.open_amount(invoice)
    try:
        split = split_payment(amount, open_before, overpayment=overpayment)
    except ExceedsOpenAmount:
        raise OverOpenAmount(f"invoice {invoice.number}: the open amount is {_amount(currency, open_before)}, less "
                             f"than the {_amount(currency, amount)} paid", open_before, currency) from None
    payment = Payment(business_id=invoice.business_id, invoice_id=invoice.id, kind=EntryKind.PAYMENT.value,
                      amount=amount, credit=split.credit, paid_on=paid_on or today, source=source, note=note,
                      who=who or source, created_at=now)
    remaining = ledger.book(session, payment, invoice)
    _set_status(invoice, remaining)
    record_event(session, EventKind.PAYMENT_RECORDED, at=now, business_id=invoice.business_id,
                 invoice_id=invoice.id, debtor_id=invoice.debtor_id, payment_id=payment.id, amount=str(amount),
                 credit=str(split.credit), paid_on=payment.paid_on.isoformat(), remaining=str(remaining),
                 source=source, note=note)
    if split.credit > 0:
        assert letters is not None
        debtor = session.get_one(Debtor, invoice.debtor_id)
        notify_business(session, business, overpayment_notice(
            business.language, payment_id=payment.id, invoice_id=invoice.id, invoice=invoice.number,
            debtor=debtor.name or debtor.contact_email, currency=currency, received=amount, credit=split.credit),
            now=now, letters=letters, invoice_id=invoice.id, debtor_id=invoice.debtor_id)
    return payment


def reverse_payment(session: Session, invoice: Invoice, payment_id: int, *, note: str | None, now: datetime,
                    source: str = "api", who: str | None = None) -> Payment:
    """Take back a payment booked in error (with its credit); a paid invoice that is open again resumes the ladder."""
    if source not in SOURCES:
        raise ValueError(f"unknown payment source {source!r}; use one of {', '.join(SOURCES)}")
    ledger.lock(session, invoice)
    original = session.get(Payment, payment_id)
    if original is None or original.invoice_id != invoice.id or original.kind != EntryKind.PAYMENT.value:
        raise PaymentNotFound(f"invoice {invoice.number} has no payment {payment_id}; GET "
                              f"/invoices/{invoice.id}/payments lists its payments")
    earlier = session.scalars(select(Payment).where(Payment.reverses_id == original.id)).first()
    if earlier is not None:
        raise PaymentRejected(f"payment {original.id} was already reversed on {earlier.paid_on.isoformat()} "
                              f"(reversal {earlier.id}); nothing more to take back")
    business = session.get_one(Business, invoice.business_id)
    reversal = Payment(business_id=invoice.business_id, invoice_id=invoice.id, kind=EntryKind.REVERSAL.value,
                       reverses_id=original.id, amount=original.amount, credit=original.credit,
                       paid_on=_today(business, now), source=source, note=note, who=who or source, created_at=now)
    previous = invoice.status
    remaining = ledger.book(session, reversal, invoice)
    _set_status(invoice, remaining)
    record_event(session, EventKind.PAYMENT_REVERSED, at=now, business_id=invoice.business_id,
                 invoice_id=invoice.id, debtor_id=invoice.debtor_id, payment_id=original.id,
                 reversal_id=reversal.id, amount=str(original.amount), credit=str(original.credit),
                 remaining=str(remaining), previous_status=previous, status=invoice.status, note=note)
    return reversal


def _set_status(invoice: Invoice, remaining: Decimal) -> None:
    if invoice.amount_due is None:
        return  # an invoice whose amount is unknown cannot be called paid or open by its payments
    status = status_after(InvoiceStatus(invoice.status), remaining)
    if status.value != invoice.status:
        invoice.status, invoice.status_reason = status.value, None
