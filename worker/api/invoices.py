"""Invoice endpoints: list, detail with timeline, explanation, payment plan, resuming the ladder."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from pydantic import TypeAdapter
from sqlalchemy import ARRAY, Integer, any_, bindparam, select
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, current_business, request_now
from worker.api.invoice_pages import InvoiceSort, invoices_by_due_date
from worker.api.pagination import DEFAULT_LIMIT, PAGE_HEADERS, Cursor, Limit, after, decode, fetch, paged
from worker.api.schemas import DebtorOut, EventOut, InvoiceDetail, InvoiceOut, PaymentPlanIn, ResumeIn
from worker.db.models import Business, Debtor, Invoice, TimelineEvent
from worker.domain.status import InvoiceStatus
from worker.usecases.explain_invoice import BadMoment, explain_invoice, moment
from worker.usecases.ladder_control import CannotResume, resume_ladder
from worker.usecases.payment_plans import PlanRejected, agree_payment_plan

router = APIRouter(prefix="/invoices", tags=["invoices"])


def invoice_out(session: Session, invoice: Invoice) -> InvoiceOut:
    debtor = session.get_one(Debtor, invoice.debtor_id)
    return InvoiceOut.model_validate({**_columns(invoice), "debtor": DebtorOut.model_validate(debtor)})


# A list reads the columns it shows, not whole rows as objects (the parsed document stays in the database).
LISTED = [c for c in Invoice.__table__.c if c.key in InvoiceOut.model_fields or c.key == "debtor_id"]
DEBTOR_LISTED = [c for c in Debtor.__table__.c if c.key in DebtorOut.model_fields]
INVOICE_PAGE = TypeAdapter(list[InvoiceOut])


def invoices_out(session: Session, rows: Sequence[Any]) -> list[InvoiceOut]:
    """For a page of `LISTED` rows: the page's debtors in one query by primary key (not one per invoice, nor a join
    that the planner might run before the page's LIMIT)."""
    if not rows:
        return []
    debtors = {d.id: DebtorOut.model_validate(d._mapping) for d in session.execute(
        select(*DEBTOR_LISTED).where(Debtor.id.in_({r.debtor_id for r in rows})))}
    return [InvoiceOut.model_validate({**r._mapping, "debtor": debtors[r.debtor_id]}) for r in rows]


_INVOICE_KEYS = [c.key for c in LISTED]
_DEBTOR_KEYS = [c.key for c in DEBTOR_LISTED]
# A page's debtors by primary key, built once. On PostgreSQL one array parameter: the same SQL text whatever the
# page holds, so psycopg prepares it once per connection (an IN list of N parameters is new SQL for every N).
_DEBTORS_BY_ID_ARRAY = select(*DEBTOR_LISTED).where(Debtor.id == any_(bindparam("ids", type_=ARRAY(Integer))))
_DEBTORS_BY_ID_LIST = select(*DEBTOR_LISTED).where(Debtor.id.in_(bindparam("ids", expanding=True)))


def page_json(session: Session, rows: Sequence[Any]) -> bytes:
    """A page of `LISTED` rows as the JSON array of `InvoiceOut`, with the page's debtors read in one query: the whole
    page validated and serialised in one call each (not a model per invoice and per debtor), so the JSON is what the
    response model gives."""
    if not rows:
        return b"[]"
    postgres = session.get_bind().dialect.name == "postgresql"
    query = _DEBTORS_BY_ID_ARRAY if postgres else _DEBTORS_BY_ID_LIST
    debtors = {d[0]: dict(zip(_DEBTOR_KEYS, d, strict=True))
               for d in session.execute(query, {"ids": list({r.debtor_id for r in rows})})}
    items = [{**dict(zip(_INVOICE_KEYS, r, strict=True)), "debtor": debtors[r.debtor_id]} for r in rows]
    return INVOICE_PAGE.dump_json(INVOICE_PAGE.validate_python(items))


def _columns(invoice: Invoice) -> dict:
    return {c.key: getattr(invoice, c.key) for c in Invoice.__table__.columns}


def own_invoice(invoice_id: int, business: Business, session: Session) -> Invoice:
    """The invoice if it belongs to this business; another business's invoice is simply not found."""
    invoice = session.get(Invoice, invoice_id)
    if invoice is None or invoice.business_id != business.id:
        raise HTTPException(404, f"no invoice {invoice_id}")
    return invoice


@router.get("", response_model=list[InvoiceOut], responses=PAGE_HEADERS)
def list_invoices(request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                  status: InvoiceStatus | None = Query(None, description="Only invoices with this status."),
                  debtor_id: int | None = Query(None, description="Only this debtor's invoices."),
                  due_from: date | None = Query(None, description="Only invoices due on or after this date.",
                                                examples=["2027-01-01"]),
                  due_to: date | None = Query(None, description="Only invoices due on or before this date.",
                                              examples=["2027-01-31"]),
                  sort: InvoiceSort = Query(InvoiceSort.ID, description="`id`: in the order they arrived "
                                            "(default); `due_date`: earliest due first, invoices without a due "
                                            "date last."),
                  business: Business = Depends(current_business), session: Session = TRANSACTION):
    """The business's invoices, one page at a time (`limit`, `cursor`; the next page is in the `Link` and
    `X-Next-Cursor` headers), filtered by status, debtor and due date."""
    query = select(*LISTED).where(Invoice.business_id == business.id)
    if status is not None:
        query = query.where(Invoice.status == status.value)
    if debtor_id is not None:
        query = query.where(Invoice.debtor_id == debtor_id)
    if due_from is not None:
        query = query.where(Invoice.due_date >= due_from)
    if due_to is not None:
        query = query.where(Invoice.due_date <= due_to)
    name = f"invoices:{sort.value}"
    if sort is InvoiceSort.DUE_DATE:
        page = invoices_by_due_date(session, query, decode(name, cursor, (date, int)) if cursor else None, limit)
    else:
        key = decode(name, cursor, (int,)) if cursor else None
        page = fetch(session, after(query, [Invoice.id], key), limit, lambda r: (r.id,), scalars=False)
    return paged(request, page_json(session, page.rows), name, page.next_key, limit)


@router.get("/{invoice_id}", response_model=InvoiceDetail)
def get_invoice(invoice_id: int, business: Business = Depends(current_business),
                session: Session = TRANSACTION):
    invoice = own_invoice(invoice_id, business, session)
    events = session.scalars(
        select(TimelineEvent).where(TimelineEvent.invoice_id == invoice.id).order_by(TimelineEvent.at,
                                                                                   TimelineEvent.id))
    return InvoiceDetail(**invoice_out(session, invoice).model_dump(), parsed=invoice.parsed,
                         timeline=[EventOut.model_validate(e) for e in events])


@router.get("/{invoice_id}/explain")
def explain_next_step(invoice_id: int, business: Business = Depends(current_business),
                      session: Session = TRANSACTION, now: datetime = Depends(request_now),
                      as_of: str | None = Query(None, description="Explain as of this moment instead of now: "
                                                "2027-01-18T09:30+01:00, or a bare date for 10:00 in the business's "
                                                "time zone (as `dunning tick --now` reads it).")) -> dict:
    """What the ladder will do next for this invoice and when, and why it did or did not send, in one sentence
    (`summary`) and in detail (`reasons`, `steps`); the same decision the tick takes at that moment."""
    invoice = own_invoice(invoice_id, business, session)
    try:
        when = moment(as_of, business.timezone) if as_of else now
    except BadMoment as exc:
        raise HTTPException(422, str(exc)) from exc
    return explain_invoice(session, invoice, when)


@router.post("/{invoice_id}/payment-plan", response_model=InvoiceOut)
def payment_plan(invoice_id: int, body: PaymentPlanIn, request: Request,
                 business: Business = Depends(current_business), session: Session = TRANSACTION,
                 now: datetime = Depends(request_now)):
    """Agree instalments with a debtor who cannot pay at once: the plan replaces the ladder while it is kept
    (each instalment gets its own reminder), a missed instalment resumes the ladder; the debtor gets a
    confirmation letter."""
    invoice = own_invoice(invoice_id, business, session)
    try:
        agree_payment_plan(session, invoice, [(i.due_date, i.amount) for i in body.instalments], now=now,
                           letters=request.app.state.container.letter_settings())
    except PlanRejected as exc:
        raise HTTPException(409, str(exc)) from exc
    return invoice_out(session, invoice)


@router.post("/{invoice_id}/resume", response_model=InvoiceOut)
def resume(invoice_id: int, body: ResumeIn, business: Business = Depends(current_business),
           session: Session = TRANSACTION, now: datetime = Depends(request_now)):
    """Put a paused (replied), disputed or reviewed invoice back on the ladder."""
    invoice = own_invoice(invoice_id, business, session)
    try:
        resume_ladder(session, invoice, note=body.note, now=now)
    except CannotResume as exc:
        raise HTTPException(409, str(exc)) from exc
    return invoice_out(session, invoice)
