"""The review queue: what needs a person — held invoices, quarantined mail, undelivered mail, notices."""

from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from pydantic import BaseModel, EmailStr, Field, StringConstraints
from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.api.bank_statements import StatementLineOut
from worker.api.deps import TRANSACTION, acting_key, current_business, operator_access, request_now
from worker.api.errors import ApiError
from worker.api.invoices import LISTED, invoice_out, invoices_out, own_invoice
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
from worker.api.schemas import EventOut, InboundOut, InvoiceOut
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
from worker.usecases.review_decisions import (
    ReviewConflict,
    ReviewRefused,
    decided_events,
    dismiss_notice,
    event_to_decide,
)
from worker.usecases.review_invoices import Corrections, release_invoice
from worker.usecases.review_items import invoice_item, message_item, notice_item
from worker.usecases.review_messages import assign_message, mark_message_not_ours, message_to_decide
from worker.usecases.review_payments import confirm_reported_payment, reject_reported_payment
from worker.usecases.review_replies import decide_reply

router = APIRouter(tags=["review"])

NEEDS_A_PERSON = (InvoiceStatus.REVIEW.value, InvoiceStatus.PAUSED.value, InvoiceStatus.DISPUTED.value,
                  InvoiceStatus.HANDED_OFF.value)
NOTICE_KINDS = (EventKind.GENERAL_ADDRESS_MISSING.value, EventKind.DELIVERY_FAILED.value,
                EventKind.LETTER_FAILED.value, EventKind.BOUNCE_RECEIVED.value, EventKind.PAYMENT_REPORTED.value,
                EventKind.REMITTANCE_NEEDS_REVIEW.value)

SHUNTED = ("quarantined", "failed")  # bad input, and messages our code failed on after its retries


class FailedDeliveryOut(BaseModel):
    """A message that could not be delivered, for good: to whom, the server's code and reason."""

    event_id: int = Field(description="The DeliveryFailed notice; POST /review/notices/{event_id}/dismiss.")
    item: str = "failed_delivery"
    why: str = ""
    actions: list[str] = ["dismiss"]
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


class Said(BaseModel):
    """What a review item is, why it is in the queue and which POST /review/... actions apply to it."""

    item: str = Field(description="What it is: held_invoice, paused_invoice, disputed_invoice, handed_off_invoice, "
                      "quarantined_message, failed_message, reported_payment, remittance_to_check, "
                      "general_address_missing, delivery_failed, letter_failed, bounce_received, failed_delivery.")
    why: str = Field(description="Why it needs a person, and what to check.")
    actions: list[str] = Field(description="What can be done: release, resume, decide_reply, assign, not_ours, "
                               "confirm, reject, dismiss (see the POST /review/... routes).",
                               examples=[["assign", "not_ours"]])


class ReviewInvoiceOut(InvoiceOut, Said):
    pass


class ReviewInboundOut(InboundOut, Said):
    pass


class ReviewNoticeOut(EventOut, Said):
    pass


class ReviewWithDeliveriesOut(BaseModel):
    invoices: list[ReviewInvoiceOut]
    quarantined: list[ReviewInboundOut]
    notices: list[ReviewNoticeOut]
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
                         TimelineEvent.kind == EventKind.DELIVERY_FAILED.value, OutboundMessage.status == "failed",
                         TimelineEvent.id.not_in(decided_events(business.id))),
                  [TimelineEvent.at, TimelineEvent.id], key, descending=True)
    page = fetch(session, query, limit, lambda r: (r[0].at, r[0].id), scalars=False)
    return Page([FailedDeliveryOut(
        event_id=event.id, why=f"the message could not be delivered to "
        f"{', '.join(event.data.get('failed_recipients') or row.to_addresses) or 'its recipient'}: "
        f"{event.data.get('reason') or event.data.get('error') or 'refused'}; correct the address and resend, or "
        "dismiss", outbound_id=row.id, invoice_id=row.invoice_id, debtor_id=row.debtor_id, step=row.step,
        subject=row.subject,
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
        TimelineEvent.id.not_in(decided_events(business.id)),  # dismissed, confirmed or rejected by a person
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
    return ReviewPageOut(invoices=[ReviewInvoiceOut(**i.model_dump(), **_said(invoice_item(
                             i.status, i.status_reason, i.number))) for i in invoices_out(session, invoices.rows)],
                         quarantined=[ReviewInboundOut(**InboundOut.model_validate(m).model_dump(), **_said(
                             message_item(m.status, m.reason))) for m in quarantined.rows],
                         notices=[ReviewNoticeOut(**EventOut.model_validate(e).model_dump(), **_said(
                             notice_item(e.kind, e.data))) for e in notices.rows],
                         failed_deliveries=failed.rows, next_cursor=next_cursor)


def _said(described: Any) -> dict[str, Any]:
    return {"item": described.item, "why": described.why, "actions": list(described.actions)}


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


# --- Actions on review items: each lands on the timeline (ReviewDecided) with the API key's label. ---

Note = Field(None, max_length=2000, description="Why (kept on the timeline).")


class AssignIn(BaseModel):
    """The invoice this message is about."""

    model_config = {"json_schema_extra": {"examples": [{"invoice_id": 17, "note": "reply from their new address"}]}}
    invoice_id: int = Field(ge=1, le=2**31 - 1, description="An invoice of your business.")
    note: str | None = Note


class NoteIn(BaseModel):
    model_config = {"json_schema_extra": {"examples": [{"note": "spam"}]}}
    note: str | None = Note


class IntentIn(BaseModel):
    """What the reply means, as a person read it: the reader's intent (confirm) or another one (correct)."""

    model_config = {"json_schema_extra": {"examples": [{"intent": "promise_to_pay", "promised_date": "2027-02-15",
                                                        "note": "pays on the 15th, as agreed by phone"}]}}
    intent: Literal["paid", "promise_to_pay", "dispute", "copy_request", "payment_plan_request", "wrong_contact",
                    "other"]
    promised_date: date | None = Field(None, description="Required for promise_to_pay: the ladder holds until "
                                       "then (plus the grace period).")
    note: str | None = Note


class ConfirmPaymentIn(BaseModel):
    """The money as seen on the bank; the reported amount when `amount` is left out."""

    model_config = {"json_schema_extra": {"examples": [{"amount": "121.00", "paid_on": "2027-01-30"}]}}
    amount: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    paid_on: date | None = Field(None, description="Day the money arrived; today when left out; not in the future.")
    note: str | None = Note


class ReleaseIn(BaseModel):
    """Corrections to a held invoice (leave out what is right), then it goes on the ladder."""

    model_config = {"json_schema_extra": {"examples": [{"number": "2027-0042", "amount_due": "1210.00",
                                                        "due_date": "2027-02-14", "debtor_email": "ap@klant.nl"}]}}
    number: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100,
                                             pattern=r"^[^\x00-\x1f]+$")] | None = None
    amount_due: Decimal | None = Field(None, gt=0, max_digits=14, decimal_places=2)
    currency: Literal["EUR"] | None = None
    due_date: date | None = None
    debtor_email: EmailStr | None = None
    note: str | None = Note


class DecisionOut(BaseModel):
    """What was decided, as recorded on the timeline."""

    event: EventOut
    invoice: InvoiceOut | None


def _decided(session: Session, event: TimelineEvent, invoice: Invoice | None) -> DecisionOut:
    session.flush()
    return DecisionOut(event=EventOut.model_validate(event),
                       invoice=invoice_out(session, invoice) if invoice is not None else None)


def _message(inbound_id: int, business: Business, session: Session) -> InboundMessage:
    row = message_to_decide(session, business, inbound_id)
    if row is None:
        raise HTTPException(404, f"no message {inbound_id} in your review queue; GET /review lists them")
    return row


def _event(event_id: int, business: Business, session: Session, kinds: tuple[str, ...], what: str) -> TimelineEvent:
    event = event_to_decide(session, business.id, event_id, kinds)
    if event is None:
        raise HTTPException(404, f"no {what} {event_id}; GET /review lists them")
    return event


def _answer(exc: ReviewConflict | ReviewRefused) -> HTTPException:
    if isinstance(exc, ReviewRefused):
        return ApiError(422, str(exc), field=exc.field)
    return HTTPException(409, str(exc))


def _last_decision(session: Session, invoice_id: int | None) -> TimelineEvent:
    session.flush()
    return session.scalars(select(TimelineEvent).where(TimelineEvent.kind == EventKind.REVIEW_DECIDED.value,
                                                       TimelineEvent.invoice_id == invoice_id)
                           .order_by(TimelineEvent.id.desc())).first()  # type: ignore[return-value]


@router.post("/review/messages/{inbound_id}/assign", response_model=DecisionOut,
             summary="Assign a quarantined message to an invoice")
def assign_message_route(inbound_id: int, body: AssignIn, request: Request,
                         business: Business = Depends(current_business), who: str = Depends(acting_key),
                         session: Session = TRANSACTION, now: datetime = Depends(request_now)):
    """The message is handled as if it had matched the invoice: a reply's intent (a promise holds the ladder, a
    dispute stops it, a question pauses it), a bounce, a remittance advice. 409 when it was already handled."""
    row = _message(inbound_id, business, session)
    invoice = own_invoice(body.invoice_id, business, session)
    try:
        decision = assign_message(session, business, row, invoice, who=who, note=body.note, now=now,
                                  letters=request.app.state.container.letter_settings())
    except (ReviewConflict, ReviewRefused) as exc:
        raise _answer(exc) from exc
    session.flush()
    return _decided(session, decision, invoice)


@router.post("/review/messages/{inbound_id}/not-ours", response_model=DecisionOut,
             summary="Mark a quarantined message as not ours")
def message_not_ours(inbound_id: int, body: NoteIn, business: Business = Depends(current_business),
                     who: str = Depends(acting_key), session: Session = TRANSACTION,
                     now: datetime = Depends(request_now)):
    """Spam, a personal mail, another supplier's: it leaves the queue (and is kept). 409 when already handled."""
    row = _message(inbound_id, business, session)
    try:
        decision = mark_message_not_ours(session, business, row, who=who, note=body.note, now=now)
    except ReviewConflict as exc:
        raise _answer(exc) from exc
    session.flush()
    return _decided(session, decision, None)


@router.post("/review/replies/{event_id}/intent", response_model=DecisionOut,
             summary="Confirm or correct what a reply meant")
def decide_reply_route(event_id: int, body: IntentIn, request: Request,
                       business: Business = Depends(current_business), who: str = Depends(acting_key),
                       session: Session = TRANSACTION, now: datetime = Depends(request_now)):
    """`event_id` is the reply's ReplyReceived event (on the invoice's timeline). A promise with its date holds
    the ladder, paid holds it for the grace period (no money booked), a dispute stops it, wrong_contact moves
    letters to the general address; other intents leave the invoice paused for you to answer."""
    reply = _event(event_id, business, session, (EventKind.REPLY_RECEIVED.value,), "reply")
    invoice = own_invoice(reply.invoice_id or 0, business, session)
    try:
        decide_reply(session, business, reply, invoice, intent=body.intent, promised_date=body.promised_date,
                     who=who, note=body.note, now=now, letters=request.app.state.container.letter_settings())
    except (ReviewConflict, ReviewRefused) as exc:
        raise _answer(exc) from exc
    return _decided(session, _last_decision(session, invoice.id), invoice)


def _reported(event_id: int, business: Business, session: Session) -> tuple[TimelineEvent, Invoice]:
    report = _event(event_id, business, session, (EventKind.PAYMENT_REPORTED.value,), "reported payment")
    return report, own_invoice(report.invoice_id or 0, business, session)


@router.post("/review/payments/{event_id}/confirm", response_model=DecisionOut,
             summary="Confirm a reported payment (book the money)")
def confirm_payment_route(event_id: int, body: ConfirmPaymentIn, request: Request,
                          business: Business = Depends(current_business), who: str = Depends(acting_key),
                          session: Session = TRANSACTION, now: datetime = Depends(request_now)):
    """`event_id` is the PaymentReported notice. The money is booked (source api, with who confirmed it)."""
    report, invoice = _reported(event_id, business, session)
    try:
        confirm_reported_payment(session, report, invoice, amount=body.amount, paid_on=body.paid_on, who=who,
                                 note=body.note, now=now, letters=request.app.state.container.letter_settings())
    except (ReviewConflict, ReviewRefused) as exc:
        raise _answer(exc) from exc
    return _decided(session, _last_decision(session, invoice.id), invoice)


@router.post("/review/payments/{event_id}/reject", response_model=DecisionOut,
             summary="Reject a reported payment (no such money arrived)")
def reject_payment_route(event_id: int, body: NoteIn, business: Business = Depends(current_business),
                         who: str = Depends(acting_key), session: Session = TRANSACTION,
                         now: datetime = Depends(request_now)):
    """Nothing is booked; the notice leaves the queue. The report's grace period still ends on its own date."""
    report, invoice = _reported(event_id, business, session)
    try:
        event = reject_reported_payment(session, report, invoice, who=who, note=body.note, now=now)
    except ReviewConflict as exc:
        raise _answer(exc) from exc
    return _decided(session, event, invoice)


@router.post("/review/invoices/{invoice_id}/release", response_model=DecisionOut,
             summary="Accept or correct a held invoice and release it to the ladder")
def release_invoice_route(invoice_id: int, body: ReleaseIn, business: Business = Depends(current_business),
                          who: str = Depends(acting_key), session: Session = TRANSACTION,
                          now: datetime = Depends(request_now)):
    """Leave out the fields that were read right; the changes (old and new) are on the timeline. 409 when the
    invoice is not held for review."""
    invoice = own_invoice(invoice_id, business, session)
    fixes = Corrections(number=body.number, amount_due=body.amount_due, currency=body.currency,
                        due_date=body.due_date, debtor_email=str(body.debtor_email) if body.debtor_email else None)
    try:
        release_invoice(session, invoice, fixes, who=who, note=body.note, now=now)
    except (ReviewConflict, ReviewRefused) as exc:
        raise _answer(exc) from exc
    return _decided(session, _last_decision(session, invoice.id), invoice)


@router.post("/review/notices/{event_id}/dismiss", response_model=DecisionOut, summary="Dismiss a notice")
def dismiss_notice_route(event_id: int, body: NoteIn, business: Business = Depends(current_business),
                         who: str = Depends(acting_key), session: Session = TRANSACTION,
                         now: datetime = Depends(request_now)):
    """The notice (a reported payment, a failed delivery, a bounce...) leaves the queue; it stays on the
    timeline. 409 when it was already handled."""
    notice = _event(event_id, business, session, NOTICE_KINDS, "notice")
    try:
        event = dismiss_notice(session, notice, who=who, note=body.note, now=now)
    except ReviewConflict as exc:
        raise _answer(exc) from exc
    invoice = session.get(Invoice, notice.invoice_id) if notice.invoice_id else None
    return _decided(session, event, invoice)
