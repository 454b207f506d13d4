"""The review queue: what needs a person — held invoices, quarantined mail, undelivered mail, notices."""

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.api.bank_statements import StatementLineOut
from worker.api.deps import TRANSACTION, current_business, operator_access, request_now
from worker.api.invoices import LISTED, invoices_out, own_invoice
from worker.api.pagination import (
    DEFAULT_LIMIT,
    PAGE_HEADERS,
    Cursor,
    Limit,
    Page,
    after,
    decode,
    fetch,
    lead_on,
)
from worker.api.schemas import EventOut, InboundOut, ReviewOut
from worker.db.models import (
    BankTransaction,
    Business,
    InboundMessage,
    Invoice,
    OutboundMessage,
    TimelineEvent,
)
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


class ReviewPageOut(ReviewWithDeliveriesOut):
    next_cursor: str | None = Field(None, description="The `cursor` of the next page (each list goes on where it "
                                    "stopped; a list already complete comes back empty); null on the last page.")


# One cursor for the four lists: each list's last sort key, or null once that list is complete.
REVIEW_KEY = (int, int, datetime, int, datetime, int)


def failed_deliveries(session: Session, business: Business, limit: int = 200,
                      key: tuple[Any, ...] | None = None) -> Page:
    """The business's messages that failed for good, newest first, from the event that recorded each failure."""
    query = after(select(TimelineEvent, OutboundMessage)
                  .join(OutboundMessage, OutboundMessage.id == TimelineEvent.outbound_message_id)
                  .where(TimelineEvent.business_id == business.id,
                         TimelineEvent.kind == EventKind.DELIVERY_FAILED.value, OutboundMessage.status == "failed"),
                  [TimelineEvent.at, TimelineEvent.id], key, descending=True)
    page = fetch(session, query, limit, lambda r: (r[0].at, r[0].id), scalars=False)
    return Page([FailedDeliveryOut(
        outbound_id=row.id, invoice_id=row.invoice_id, debtor_id=row.debtor_id, step=row.step, subject=row.subject,
        recipients=event.data.get("failed_recipients") or [*row.to_addresses, *row.cc_addresses],
        code=event.data.get("code"), reason=event.data.get("reason") or event.data.get("error") or "",
        attempts=row.attempts, failed_at=event.at) for event, row in page.rows], page.next_key)


def _part(session: Session, query: Any, limit: int, key: tuple[Any, ...] | None, started: bool,
          key_of: Any, scalars: bool = True) -> Page:
    """One list's part of a review page; a list complete on an earlier page (null key) has nothing more."""
    if started and key is None:
        return Page([], None)
    return fetch(session, query(key), limit, key_of, scalars=scalars)


@router.get("/review", response_model=ReviewPageOut, responses=PAGE_HEADERS)
def review_queue(request: Request, response: Response, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                 business: Business = Depends(current_business), session: Session = TRANSACTION):
    """What needs a person: held invoices, quarantined mail, notices (newest first) and failed deliveries (newest
    first), up to `limit` of each; `next_cursor` (also in `Link` and `X-Next-Cursor`) continues every list that
    has more."""
    keys = decode("review", cursor, REVIEW_KEY) if cursor else (None,) * 6
    started = cursor is not None
    invoices = _part(session, lambda k: after(select(*LISTED).where(
        Invoice.business_id == business.id, Invoice.status.in_(NEEDS_A_PERSON)), [Invoice.id], k),
        limit, _one(keys[0]), started, lambda r: (r.id,), scalars=False)
    quarantined = _part(session, lambda k: after(select(InboundMessage).where(
        InboundMessage.business_id == business.id, InboundMessage.status.in_(SHUNTED)), [InboundMessage.id], k),
        limit, _one(keys[1]), started, lambda m: (m.id,))
    settled = select(Invoice.id).where(Invoice.business_id == business.id,
                                       Invoice.status.in_((InvoiceStatus.PAID.value, InvoiceStatus.CREDITED.value)))
    notices = _part(session, lambda k: after(select(TimelineEvent).where(
        TimelineEvent.business_id == business.id, TimelineEvent.kind.in_(NOTICE_KINDS),
        # a reported payment needs a person only until the invoice is settled
        ~((TimelineEvent.kind == EventKind.PAYMENT_REPORTED.value) & TimelineEvent.invoice_id.in_(settled)),
    ), [TimelineEvent.at, TimelineEvent.id], k, descending=True), limit, _pair(keys[2:4]), started,
        lambda e: (e.at, e.id))
    failed_key = _pair(keys[4:6])
    failed = Page([], None) if started and failed_key is None else failed_deliveries(session, business, limit,
                                                                                      failed_key)
    parts = (invoices, quarantined, notices, failed)
    next_key = None
    if any(p.next_key is not None for p in parts):
        next_key = (*_flat(invoices.next_key, 1), *_flat(quarantined.next_key, 1), *_flat(notices.next_key, 2),
                    *_flat(failed.next_key, 2))
    next_cursor = lead_on(request, response, "review", next_key, limit)
    return ReviewPageOut(invoices=invoices_out(session, invoices.rows),
                         quarantined=[InboundOut.model_validate(m) for m in quarantined.rows],
                         notices=[EventOut.model_validate(e) for e in notices.rows],
                         failed_deliveries=failed.rows, next_cursor=next_cursor)


def _one(value: Any) -> tuple[Any, ...] | None:
    return None if value is None else (value,)


def _pair(values: tuple[Any, ...]) -> tuple[Any, ...] | None:
    return None if values[0] is None or values[1] is None else tuple(values)


def _flat(key: tuple[Any, ...] | None, width: int) -> tuple[Any, ...]:
    return key if key is not None else (None,) * width


@router.get("/admin/quarantine", response_model=list[InboundOut], tags=["operator"],
            dependencies=[Depends(operator_access)], responses=PAGE_HEADERS)
def unassigned_quarantine(request: Request, response: Response, limit: Limit = DEFAULT_LIMIT,
                          cursor: Cursor = None, session: Session = TRANSACTION):
    """Quarantined mail that belongs to no business (unknown senders): for the service operator."""
    key = decode("admin-quarantine", cursor, (int,)) if cursor else None
    page = fetch(session, after(select(InboundMessage).where(
        InboundMessage.business_id.is_(None), InboundMessage.status.in_(SHUNTED)), [InboundMessage.id], key),
        limit, lambda m: (m.id,))
    lead_on(request, response, "admin-quarantine", page.next_key, limit)
    return [InboundOut.model_validate(m) for m in page.rows]


class CreditAssignment(BaseModel):
    invoice_id: int


def _review_line(line_id: int, business: Business, session: Session) -> BankTransaction:
    line = session.get(BankTransaction, line_id)
    if line is None or line.business_id != business.id:
        raise HTTPException(404, f"no statement line {line_id}; GET /review/credits lists those waiting")
    return line


@router.get("/review/credits", response_model=list[StatementLineOut], responses=PAGE_HEADERS)
def credits_in_review(request: Request, response: Response, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                      business: Business = Depends(current_business), session: Session = TRANSACTION):
    """Bank credits (and returned payments) no rule could tie to an invoice for sure, with the candidates; oldest
    booking first, a page at a time."""
    key = decode("review-credits", cursor, (date, int)) if cursor else None
    query = after(select(BankTransaction).where(BankTransaction.business_id == business.id,
                                                BankTransaction.status == "review"),
                  [BankTransaction.booking_date, BankTransaction.id], key)
    page = fetch(session, query, limit, lambda r: (r.booking_date, r.id))
    lead_on(request, response, "review-credits", page.next_key, limit)
    return page.rows


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
