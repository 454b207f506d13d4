"""The review queue: what needs a person — held invoices, quarantined mail, notices to act on."""

from fastapi import APIRouter, Depends, HTTPException, Request, Security
from fastapi.security import APIKeyHeader
from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.api.deps import current_business, db_session
from worker.api.invoices import invoice_out
from worker.api.schemas import EventOut, InboundOut, ReviewOut
from worker.db.models import Business, InboundMessage, Invoice, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.status import InvoiceStatus

router = APIRouter(tags=["review"])

NEEDS_A_PERSON = (InvoiceStatus.REVIEW.value, InvoiceStatus.PAUSED.value, InvoiceStatus.DISPUTED.value,
                  InvoiceStatus.HANDED_OFF.value)
NOTICE_KINDS = (EventKind.GENERAL_ADDRESS_MISSING.value, EventKind.DELIVERY_FAILED.value,
                EventKind.LETTER_FAILED.value, EventKind.BOUNCE_RECEIVED.value, EventKind.PAYMENT_REPORTED.value,
                EventKind.REMITTANCE_NEEDS_REVIEW.value)


@router.get("/review", response_model=ReviewOut)
def review_queue(business: Business = Depends(current_business), session: Session = Depends(db_session)):
    invoices = session.scalars(select(Invoice).where(Invoice.business_id == business.id,
                                                     Invoice.status.in_(NEEDS_A_PERSON)).order_by(Invoice.id))
    quarantined = session.scalars(select(InboundMessage).where(
        InboundMessage.business_id == business.id, InboundMessage.status == "quarantined").order_by(
        InboundMessage.id))
    settled = select(Invoice.id).where(Invoice.business_id == business.id,
                                       Invoice.status.in_((InvoiceStatus.PAID.value, InvoiceStatus.CREDITED.value)))
    notices = session.scalars(select(TimelineEvent).where(
        TimelineEvent.business_id == business.id, TimelineEvent.kind.in_(NOTICE_KINDS),
        # a reported payment needs a person only until the invoice is settled
        ~((TimelineEvent.kind == EventKind.PAYMENT_REPORTED.value) & TimelineEvent.invoice_id.in_(settled)),
    ).order_by(TimelineEvent.at.desc()).limit(200))
    return ReviewOut(invoices=[invoice_out(session, i) for i in invoices],
                     quarantined=[InboundOut.model_validate(m) for m in quarantined],
                     notices=[EventOut.model_validate(e) for e in notices])


admin_key_header = APIKeyHeader(name="X-Admin-Key", auto_error=False)


@router.get("/admin/quarantine", response_model=list[InboundOut], tags=["operator"])
def unassigned_quarantine(request: Request, admin_key: str | None = Security(admin_key_header),
                          session: Session = Depends(db_session)):
    """Quarantined mail that belongs to no business (unknown senders): for the service operator."""
    expected = request.app.state.container.settings.admin_api_key
    if not expected or admin_key != expected:
        raise HTTPException(401, "operator key required (DUNNING_ADMIN_API_KEY)")
    return [InboundOut.model_validate(m) for m in session.scalars(select(InboundMessage).where(
        InboundMessage.business_id.is_(None), InboundMessage.status == "quarantined").order_by(InboundMessage.id))]
