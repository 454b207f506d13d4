"""Put a paused or reviewed invoice back on the ladder, recording who decided it."""

from datetime import datetime

from sqlalchemy.orm import Session

from worker.db.models import Invoice
from worker.domain.events import EventKind
from worker.domain.status import InvoiceStatus
from worker.usecases.timeline import record_event

RESUMABLE = {InvoiceStatus.PAUSED.value, InvoiceStatus.REVIEW.value, InvoiceStatus.DISPUTED.value}


class CannotResume(ValueError):
    """The invoice is not in a state the ladder can resume from."""


def resume_ladder(session: Session, invoice: Invoice, *, note: str | None, now: datetime) -> Invoice:
    if invoice.status not in RESUMABLE:
        raise CannotResume(f"invoice {invoice.number} is {invoice.status}; only paused, disputed or reviewed "
                           "invoices can be resumed")
    if invoice.amount_due is None or invoice.currency is None or invoice.due_date is None:
        raise CannotResume(f"invoice {invoice.number} lacks its amount, currency or due date; correct it first")
    previous = invoice.status
    invoice.status, invoice.status_reason = InvoiceStatus.OPEN.value, None
    record_event(session, EventKind.LADDER_RESUMED, at=now, business_id=invoice.business_id,
                 invoice_id=invoice.id, debtor_id=invoice.debtor_id, previous_status=previous, note=note)
    return invoice
