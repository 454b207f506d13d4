"""Payment endpoints: book a payment (idempotent), list an invoice's payment events, reverse a payment."""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, current_business, request_now
from worker.api.idempotency import Answer, KeyReused, answer_once, request_hash
from worker.api.invoices import invoice_out, own_invoice
from worker.api.pagination import DEFAULT_LIMIT, PAGE_HEADERS, Cursor, Limit, after, decode, fetch, lead_on
from worker.api.schemas import InvoiceOut, PaymentIn, PaymentOut, ReversalIn
from worker.db.models import Business, Payment
from worker.usecases.payments import (
    OverOpenAmount,
    PaymentInvalid,
    PaymentNotFound,
    PaymentRejected,
    record_payment,
    reverse_payment,
)

router = APIRouter(prefix="/invoices", tags=["payments"])

IdempotencyKeyHeader = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=255,
    description="Any unique string (a UUID) per payment. A retry with the same key and the same body gets the "
    "first answer (header `Idempotent-Replayed: true`) and books nothing again; the same key with a different "
    "body is refused with 409.")]


def _detail(example: str) -> dict[str, Any]:
    return {"application/json": {"example": {"detail": example}}}


REFUSALS: dict[int | str, dict[str, Any]] = {
    404: {"description": "No such invoice (or payment) for this business.",
          "content": _detail("no invoice 42")},
    409: {"description": "The key was used for another request, the invoice was credited, or the payment was "
          "already reversed.", "content": _detail(
              "the Idempotency-Key 'pay-7f3a' was already used on 2027-02-01 09:00 UTC for a different request "
              "(another invoice, amount, date, note or flag); send a new key for a new payment, or repeat the first "
              "request exactly to get its answer")},
    422: {"description": "More than the open amount without `overpayment`, a date in the future, or an invalid "
          "body.", "content": _detail(
              "invoice F-1: the open amount is EUR 363.00, less than the EUR 100000.00 paid; send \"overpayment\": "
              "true to record the surplus as the customer's credit")},
}

PAYMENT_EXAMPLES = {
    "part": {"summary": "A part payment", "value": {"amount": "121.00", "paid_on": "2027-01-30",
                                                    "note": "bank transfer, ref. NL12-0042"}},
    "surplus": {"summary": "More than is open, on purpose", "description": "The invoice becomes paid; the surplus "
                "is booked as the customer's credit and the business is told.",
                "value": {"amount": "400.00", "overpayment": True}},
}


def _refusal(exc: PaymentRejected) -> HTTPException:
    """Sorted by who must act: a wrong request (422), a missing thing (404), a state that forbids it (409)."""
    if isinstance(exc, OverOpenAmount):
        return HTTPException(422, f"{exc}; send \"overpayment\": true to record the surplus as the customer's credit")
    if isinstance(exc, PaymentInvalid):
        return HTTPException(422, str(exc))
    if isinstance(exc, PaymentNotFound):
        return HTTPException(404, str(exc))
    return HTTPException(409, str(exc))


def _respond(request: Request, business: Business, key: str | None, route: str, body: dict[str, Any],
             now: datetime, write: Callable[[Session], Answer]) -> JSONResponse:
    try:
        answer = answer_once(request.app.state.container.sessions, business_id=business.id, key=key,
                             fingerprint=request_hash(route, body), now=now, write=write)
    except KeyReused as exc:
        raise HTTPException(409, str(exc)) from exc
    return JSONResponse(answer.body, status_code=answer.status_code,
                        headers={"Idempotent-Replayed": "true"} if answer.replayed else None)


@router.post("/{invoice_id}/payments", response_model=InvoiceOut, responses=REFUSALS)
def add_payment(invoice_id: int, payment: Annotated[PaymentIn, Body(openapi_examples=PAYMENT_EXAMPLES)],
                request: Request, idempotency_key: IdempotencyKeyHeader = None,
                business: Business = Depends(current_business), now: datetime = Depends(request_now)):
    """Book money received on an invoice: paid in full it leaves the ladder, a part payment lowers what later
    letters ask. More than the open amount is refused (422, naming the open amount) unless `overpayment` is set.
    Send an `Idempotency-Key` so a retry after a timeout books nothing twice."""
    letters = request.app.state.container.letter_settings()

    def write(session: Session) -> Answer:
        invoice = own_invoice(invoice_id, business, session)
        try:
            record_payment(session, invoice, payment.amount, paid_on=payment.paid_on, note=payment.note, now=now,
                           overpayment=payment.overpayment, who="api", letters=letters)
        except PaymentRejected as exc:
            raise _refusal(exc) from exc
        return Answer(200, invoice_out(session, invoice).model_dump(mode="json"))

    body = {"amount": f"{payment.amount:.2f}", "paid_on": payment.paid_on, "note": payment.note,
            "overpayment": payment.overpayment}
    return _respond(request, business, idempotency_key, f"POST /invoices/{invoice_id}/payments", body, now, write)


@router.get("/{invoice_id}/payments", response_model=list[PaymentOut],
            responses={**PAGE_HEADERS, 404: REFUSALS[404]})
def list_payments(invoice_id: int, request: Request, response: Response, limit: Limit = DEFAULT_LIMIT,
                  cursor: Cursor = None, business: Business = Depends(current_business),
                  session: Session = TRANSACTION):
    """Every payment and reversal of the invoice, oldest first: the events its paid amount is derived from.
    A payment with a `credit` was an overpayment; `reversed_by` names the reversal that took a payment back."""
    invoice = own_invoice(invoice_id, business, session)
    key = decode("payments", cursor, (int,)) if cursor else None
    page = fetch(session, after(select(Payment).where(Payment.invoice_id == invoice.id), [Payment.id], key), limit,
                 lambda p: (p.id,))
    lead_on(request, response, "payments", page.next_key, limit)
    # The reversal of a payment on this page may be on a later one: asked for by the page's ids.
    reversed_by: dict[int | None, int] = {reverses: reversal for reverses, reversal in session.execute(
        select(Payment.reverses_id, Payment.id).where(Payment.reverses_id.in_([r.id for r in page.rows])))}
    return [PaymentOut.model_validate(r).model_copy(update={"reversed_by": reversed_by.get(r.id)})
            for r in page.rows]


@router.post("/{invoice_id}/payments/{payment_id}/reversal", response_model=InvoiceOut, responses=REFUSALS)
def reverse(invoice_id: int, payment_id: int, request: Request,
            body: Annotated[ReversalIn | None, Body(openapi_examples={"mistake": {
                "summary": "Booked on the wrong invoice", "value": {"note": "belongs to invoice F-2"}}})] = None,
            idempotency_key: IdempotencyKeyHeader = None, business: Business = Depends(current_business),
            now: datetime = Depends(request_now)):
    """Take back a payment booked in error, with any credit it carried. The payment stays in the history; a
    reversal event is added, and a paid invoice that is open again goes back on the ladder. A payment is
    reversed at most once; send an `Idempotency-Key` to make retries safe."""
    note = body.note if body else None

    def write(session: Session) -> Answer:
        invoice = own_invoice(invoice_id, business, session)
        try:
            reverse_payment(session, invoice, payment_id, note=note, now=now, who="api")
        except PaymentRejected as exc:
            raise _refusal(exc) from exc
        return Answer(200, invoice_out(session, invoice).model_dump(mode="json"))

    route = f"POST /invoices/{invoice_id}/payments/{payment_id}/reversal"
    return _respond(request, business, idempotency_key, route, {"note": note}, now, write)
