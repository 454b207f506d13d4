"""Debtor endpoints: see and correct a customer's contact and general address."""

from datetime import datetime

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import TypeAdapter
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, current_business, request_now
from worker.api.invoices import DEBTOR_LISTED
from worker.api.pagination import DEFAULT_LIMIT, PAGE_HEADERS, Cursor, Limit, after, decode, fetch, paged
from worker.api.schemas import DebtorIn, DebtorOut
from worker.db.models import Business, Debtor
from worker.domain.segments import assess
from worker.usecases.debtors import update_debtor as apply_changes
from worker.usecases.decision_inputs import debtor_policy, payment_history, sending_window

router = APIRouter(prefix="/debtors", tags=["debtors"])
DEBTOR_PAGE = TypeAdapter(list[DebtorOut])


def own_debtor(debtor_id: int, business: Business, session: Session) -> Debtor:
    debtor = session.get(Debtor, debtor_id)
    if debtor is None or debtor.business_id != business.id:
        raise HTTPException(404, f"no debtor {debtor_id}")
    return debtor


@router.get("", response_model=list[DebtorOut], responses=PAGE_HEADERS)
def list_debtors(request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                 business: Business = Depends(current_business), session: Session = TRANSACTION):
    """The business's debtors in the order they first appeared, one page at a time (next page: `Link`)."""
    key = decode("debtors", cursor, (int,)) if cursor else None
    query = after(select(*DEBTOR_LISTED).where(Debtor.business_id == business.id), [Debtor.id], key)
    page = fetch(session, query, limit, lambda d: (d.id,), scalars=False)
    return paged(request, DEBTOR_PAGE.dump_json([DebtorOut.model_validate(r._mapping) for r in page.rows]),
                 "debtors", page.next_key, limit)


@router.get("/{debtor_id}/behaviour")
def debtor_behaviour(debtor_id: int, business: Business = Depends(current_business),
                     session: Session = TRANSACTION, now: datetime = Depends(request_now)) -> dict:
    """The debtor's payment behaviour as a score (100: always on time) and segment, and the ladder it chooses."""
    debtor = own_debtor(debtor_id, business, session)
    window = sending_window(business, now)
    today = window.local_date(now)
    found = assess(payment_history(session, debtor, today), today)
    policy = debtor_policy(session, business, debtor, window, today)
    return {"score": found.score, "segment": found.segment.value, "invoices": found.invoices,
            "average_days_late": found.average_days_late, "share_late": found.share_late,
            "trend_days": found.trend_days,
            "ladder": [{"step": s.name, "offset_days": s.offset_days, "anchor": s.anchor, "tone": s.tone}
                       for s in policy.steps]}


@router.put("/{debtor_id}", response_model=DebtorOut)
def update_debtor(debtor_id: int, body: DebtorIn, business: Business = Depends(current_business),
                  session: Session = TRANSACTION, now: datetime = Depends(request_now)):
    """Change the contact, the company's general address (used for escalations), the postal address, language,
    country (whose collection law applies) or e-mail consent."""
    debtor = own_debtor(debtor_id, business, session)
    try:
        return apply_changes(session, debtor, body.model_dump(exclude_unset=True), now)
    except IntegrityError as exc:
        raise HTTPException(409, "another debtor of yours already has that contact e-mail") from exc
