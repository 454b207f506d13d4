"""Contacts on the timeline: a clerk records a note or a phone call, its promise, and confirms it in writing."""

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, acting_key, current_business, request_now
from worker.api.idempotency import Answer, KeyReused, answer_once, request_hash
from worker.api.invoices import own_invoice
from worker.db.models import Business, TimelineEvent
from worker.usecases.contacts import Contact, ContactKind, ContactRefused, contacts_of, record_contact

router = APIRouter(prefix="/invoices", tags=["contacts"])
Summary = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000)]
Who = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
IdempotencyKeyHeader = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=1, max_length=255,
    description="Any unique string (a UUID) per note or call. A retry with the same key and body gets the first "
    "answer (header `Idempotent-Replayed: true`) and records and sends nothing again; the same key with another "
    "body is refused with 409.")]


class ContactIn(BaseModel):
    """One contact with the debtor, as the clerk tells it."""

    model_config = ConfigDict(extra="forbid")

    happened_at: AwareDatetime | None = Field(
        None, description="When the call or contact took place, with its UTC offset; now when omitted; never in "
        "the future.")
    contact: Who | None = Field(None, description="Who at the debtor you spoke to or heard from.")
    summary: Summary = Field(description="What was discussed and agreed, in your words (it is quoted in the "
                             "confirmation).")
    promised_date: date | None = Field(
        None, description="The day the debtor promised to pay by: holds the ladder exactly like a promise in a "
        "written reply (until this day plus the grace days). Today or later.")
    send_confirmation: bool = Field(
        False, description="Send the debtor a short written confirmation (letter `agreement_confirmation`, in the "
        "debtor's language) through the outbox.")


CALL_EXAMPLE = {"happened_at": "2027-02-01T10:15:00+01:00", "contact": "Anna de Vries",
                "summary": "Will pay invoice 2027-0001 in full by 14 February; cash flow problem this month.",
                "promised_date": "2027-02-14", "send_confirmation": True}
NOTE_EXAMPLE = {"summary": "Customer's accountant says the invoice is approved and queued for the next payment run.",
                "send_confirmation": False}


class ContactOut(BaseModel):
    """A note or call as it stands on the invoice's timeline."""

    id: int = Field(description="The timeline event's id.")
    kind: ContactKind
    recorded_at: datetime
    recorded_by: str = Field(description="The label of the API key that recorded it.")
    happened_at: datetime
    contact: str | None
    summary: str
    promised_date: date | None
    confirmation_outbound_id: int | None = Field(
        None, description="The outbox message that confirms it to the debtor, when one was asked for.")


def _out(event: TimelineEvent) -> ContactOut:
    data: dict[str, Any] = event.data or {}
    return ContactOut(id=event.id, kind="call" if event.kind == "CallRecorded" else "note", recorded_at=event.at,
                      recorded_by=data.get("by") or "", happened_at=data["happened_at"], contact=data.get("contact"),
                      summary=data.get("summary") or "", promised_date=data.get("promised_date"),
                      confirmation_outbound_id=data.get("confirmation_outbound_id"))


def _record(kind: ContactKind, invoice_id: int, body: ContactIn, request: Request, business: Business,
            now: datetime, by: str, key: str | None) -> JSONResponse:
    letters = request.app.state.container.letter_settings()

    def write(session: Session) -> Answer:
        invoice = own_invoice(invoice_id, business, session)
        contact = Contact(kind, body.happened_at or now, body.summary, body.contact, body.promised_date,
                          body.send_confirmation)
        try:
            recorded = record_contact(session, invoice, contact, by=by, now=now, letters=letters)
        except ContactRefused as exc:
            raise HTTPException(409 if exc.conflict else 422, str(exc)) from exc
        session.flush()
        return Answer(201, _out(recorded.event).model_dump(mode="json"))

    # A retry after a timeout must not record the call twice, nor send its confirmation twice.
    try:
        answer = answer_once(request.app.state.container.sessions, business_id=business.id, key=key,
                             fingerprint=request_hash(f"POST /invoices/{invoice_id}/{kind}s",
                                                      body.model_dump(mode="json")), now=now, write=write)
    except KeyReused as exc:
        raise HTTPException(409, str(exc)) from exc
    return JSONResponse(answer.body, status_code=answer.status_code,
                        headers={"Idempotent-Replayed": "true"} if answer.replayed else None)


_RETRY = " Send an `Idempotency-Key` so a retry after a timeout records (and confirms) nothing twice."
_REFUSED = ("**409** when the invoice is paid, credited or written off and a promise or confirmation is asked "
            "for; **422** naming the field when `happened_at` lies in the future, `promised_date` has passed or "
            "`summary` is empty.")


@router.post("/{invoice_id}/calls", response_model=ContactOut, status_code=201, summary="Record a phone call",
             description="Record a phone call with the debtor on the invoice's timeline: who you spoke to, when, "
             "and what was agreed. A `promised_date` holds the ladder exactly like a written promise; "
             "`send_confirmation` sends the debtor the agreement in writing (letter `agreement_confirmation`). "
             + _REFUSED + _RETRY)
def record_call(invoice_id: int, request: Request,
                body: Annotated[ContactIn, Body(openapi_examples={
                    "promise by phone": {"summary": "A promise to pay, confirmed in writing", "value": CALL_EXAMPLE}})],
                idempotency_key: IdempotencyKeyHeader = None, business: Business = Depends(current_business),
                now: datetime = Depends(request_now), by: str = Depends(acting_key)) -> JSONResponse:
    return _record("call", invoice_id, body, request, business, now, by, idempotency_key)


@router.post("/{invoice_id}/notes", response_model=ContactOut, status_code=201, summary="Record a note",
             description="Record a note about the invoice on its timeline (a visit, a letter from the debtor's "
             "accountant, anything that is not a call); it may carry a promised date and a written "
             "confirmation like a call. " + _REFUSED + _RETRY)
def record_note(invoice_id: int, request: Request,
                body: Annotated[ContactIn, Body(openapi_examples={
                    "note": {"summary": "A note for colleagues", "value": NOTE_EXAMPLE}})],
                idempotency_key: IdempotencyKeyHeader = None, business: Business = Depends(current_business),
                now: datetime = Depends(request_now), by: str = Depends(acting_key)) -> JSONResponse:
    return _record("note", invoice_id, body, request, business, now, by, idempotency_key)


@router.get("/{invoice_id}/contacts", response_model=list[ContactOut], summary="Notes and calls of an invoice",
            description="Every note and call recorded on the invoice, oldest first, with who recorded it and the "
            "confirmation sent, if any (they are on the invoice's timeline too).")
def list_contacts(invoice_id: int, business: Business = Depends(current_business),
                  session: Session = TRANSACTION) -> list[ContactOut]:
    invoice = own_invoice(invoice_id, business, session)
    return [_out(e) for e in contacts_of(session, invoice)]
