"""The review queue: what needs a person — held invoices, quarantined mail, undelivered mail, notices."""

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.api.bank_statements import StatementLineOut
from worker.api.deps import TRANSACTION, current_business, operator_access, request_now
from worker.api.invoices import invoice_out, own_invoice
from worker.api.schemas import EventOut, InboundOut, ReviewOut
from worker.db.models import BankTransaction, Business, InboundMessage, Invoice, OutboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.status import InvoiceStatus
from worker.usecases.bank_booking import CreditDecisionRejected, assign_credit, mark_not_ours

router = APIRouter(tags=["review"])

NEEDS_A_PERSON = (InvoiceStatus.REVIEW.value, InvoiceStatus.PAUSED.value, InvoiceStatus.DISPUTED.value,
                  InvoiceStatus.HANDED_OFF.value)
NOTICE_KINDS = (EventKind.GENERAL_ADDRESS_MISSING.value, EventKind.DELIVERY_FAILED.value,
                EventKind.LETTER_FAILED.value, EventKind.BOUNCE_RECEIVED.value, EventKind.PAYMENT_REPORTED.value,
                EventKind.REMITTANCE_NEEDS_REVIEW.value)

SHUNTED = ("quarantined", "failed")  # bad input, and messages our code failed on after its retries


class FailedDeliveryOut(BaseModel):
    """A message that could not be delivered, for good: to whom, the server's code and reason."""

    outbound_id: int
    invoice_id: int | None
    debtor_id: int | None
    step: str
    subject: str
    recipients: list[str]
    code: int | None
    reason: str
    attempts: int
    failed_at: datetime


class ReviewWithDeliveriesOut(ReviewOut):
    failed_deliveries: list[FailedDeliveryOut]


def failed_deliveries(session: Session, business: Business) -> list[FailedDeliveryOut]:
    """The business's messages that failed for good, newest first, from the event that recorded each failure."""
    rows = session.execute(select(TimelineEvent, OutboundMessage)
                           .join(OutboundMessage, OutboundMessage.id == TimelineEvent.outbound_message_id)
                           .where(TimelineEvent.business_id == business.id,
                                  TimelineEvent.kind == EventKind.DELIVERY_FAILED.value,
                                  OutboundMessage.status == "failed")
                           .order_by(TimelineEvent.at.desc(), TimelineEvent.id.desc()).limit(200)).all()
    return [FailedDeliveryOut(
        outbound_id=row.id, invoice_id=row.invoice_id, debtor_id=row.debtor_id, step=row.step, subject=row.subject,
        recipients=event.data.get("failed_recipients") or [*row.to_addresses, *row.cc_addresses],
        code=event.data.get("code"), reason=event.data.get("reason") or event.data.get("error") or "",
        attempts=row.attempts, failed_at=event.at) for event, row in rows]


@router.get("/review", response_model=ReviewWithDeliveriesOut)
def review_queue(business: Business = Depends(current_business), session: Session = TRANSACTION):
    invoices = session.scalars(select(Invoice).where(Invoice.business_id == business.id,
                                                     Invoice.status.in_(NEEDS_A_PERSON)).order_by(Invoice.id))
    quarantined = session.scalars(select(InboundMessage).where(
        InboundMessage.business_id == business.id, InboundMessage.status.in_(SHUNTED)).order_by(
        InboundMessage.id))
    settled = select(Invoice.id).where(Invoice.business_id == business.id,
                                       Invoice.status.in_((InvoiceStatus.PAID.value, InvoiceStatus.CREDITED.value)))
    notices = session.scalars(select(TimelineEvent).where(
        TimelineEvent.business_id == business.id, TimelineEvent.kind.in_(NOTICE_KINDS),
        # a reported payment needs a person only until the invoice is settled
        ~((TimelineEvent.kind == EventKind.PAYMENT_REPORTED.value) & TimelineEvent.invoice_id.in_(settled)),
    ).order_by(TimelineEvent.at.desc()).limit(200))
    return ReviewWithDeliveriesOut(invoices=[invoice_out(session, i) for i in invoices],
                                   quarantined=[InboundOut.model_validate(m) for m in quarantined],
                                   notices=[EventOut.model_validate(e) for e in notices],
                                   failed_deliveries=failed_deliveries(session, business))


@router.get("/admin/quarantine", response_model=list[InboundOut], tags=["operator"],
            dependencies=[Depends(operator_access)])
def unassigned_quarantine(session: Session = TRANSACTION):
    """Quarantined mail that belongs to no business (unknown senders): for the service operator."""
    return [InboundOut.model_validate(m) for m in session.scalars(select(InboundMessage).where(
        InboundMessage.business_id.is_(None), InboundMessage.status.in_(SHUNTED)).order_by(InboundMessage.id))]


class CreditAssignment(BaseModel):
    invoice_id: int


def _review_line(line_id: int, business: Business, session: Session) -> BankTransaction:
    line = session.get(BankTransaction, line_id)
    if line is None or line.business_id != business.id:
        raise HTTPException(404, f"no statement line {line_id}; GET /review/credits lists those waiting")
    return line


@router.get("/review/credits", response_model=list[StatementLineOut])
def credits_in_review(business: Business = Depends(current_business), session: Session = TRANSACTION):
    """Bank credits (and returned payments) no rule could tie to an invoice for sure, with the candidates."""
    return session.scalars(select(BankTransaction).where(BankTransaction.business_id == business.id,
                                                         BankTransaction.status == "review")
                           .order_by(BankTransaction.booking_date, BankTransaction.id)).all()


@router.post("/review/credits/{line_id}/assign", response_model=StatementLineOut)
def assign_credit_to_invoice(line_id: int, body: CreditAssignment, request: Request,
                             business: Business = Depends(current_business), session: Session = TRANSACTION,
                             now: datetime = Depends(request_now)):
    """Book this credit on invoice `invoice_id` (source bank); more than is open becomes the payer's credit and
    the business is told. The payer's account is remembered for the next statement."""
    line = _review_line(line_id, business, session)
    invoice = own_invoice(body.invoice_id, business, session)
    try:
        assign_credit(session, line, invoice, now=now, letters=request.app.state.container.letter_settings(),
                      who="api")
    except CreditDecisionRejected as exc:
        raise HTTPException(409, str(exc)) from exc
    return line


@router.post("/review/credits/{line_id}/not-ours", response_model=StatementLineOut)
def credit_not_ours(line_id: int, business: Business = Depends(current_business),
                    session: Session = TRANSACTION):
    """This credit pays no invoice of ours (a refund, a loan, a private transfer): it leaves the queue."""
    line = _review_line(line_id, business, session)
    try:
        mark_not_ours(line, who="api")
    except CreditDecisionRejected as exc:
        raise HTTPException(409, str(exc)) from exc
    return line
