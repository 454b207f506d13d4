"""Confirm a payment a debtor reported (the money is booked) or reject it (finance found no such money)."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy.orm import Session

from worker.adapters.letters import LetterSettings
from worker.db.models import Invoice, Payment, TimelineEvent
from worker.usecases.payments import PaymentRejected, record_payment
from worker.usecases.review_decisions import ReviewRefused, record_decision, refuse_if_decided


def confirm_reported_payment(session: Session, report: TimelineEvent, invoice: Invoice, *,
                             amount: Decimal | None, paid_on: date | None, who: str, note: str | None,
                             now: datetime, letters: LetterSettings) -> Payment:
    """Book the money the debtor reported, as seen on the bank: the amount given, else the reported one."""
    refuse_if_decided(session, report, "reported payment")
    reported = report.data.get("amount")
    booked = amount if amount is not None else (Decimal(reported) if reported else None)
    if booked is None:
        raise ReviewRefused("the customer named no amount: give the amount that arrived (amount)", "amount")
    try:
        payment = record_payment(session, invoice, booked, paid_on=paid_on, now=now, source="api", who=who,
                                 note=note or f"reported by the customer on {report.data.get('reported_on')}, "
                                 "confirmed on the bank statement", letters=letters)
    except PaymentRejected as exc:
        raise ReviewRefused(str(exc), "amount") from exc
    session.flush()
    record_decision(session, "confirm_payment", who=who, now=now, business_id=invoice.business_id,
                    invoice_id=invoice.id, debtor_id=invoice.debtor_id, event_id=report.id,
                    inbound_id=report.inbound_message_id, amount=str(booked), payment_id=payment.id, note=note)
    return payment


def reject_reported_payment(session: Session, report: TimelineEvent, invoice: Invoice, *, who: str,
                            note: str | None, now: datetime) -> TimelineEvent:
    """No such money arrived: recorded with who checked; nothing is booked and the notice leaves the queue."""
    refuse_if_decided(session, report, "reported payment")
    return record_decision(session, "reject_payment", who=who, now=now, business_id=invoice.business_id,
                           invoice_id=invoice.id, debtor_id=invoice.debtor_id, event_id=report.id,
                           inbound_id=report.inbound_message_id, reported_amount=report.data.get("amount"),
                           note=note)
