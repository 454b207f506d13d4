"""Reports for finance: ageing of what is owed, in total and per debtor."""

import json
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, current_business, request_now
from worker.api.pagination import DEFAULT_LIMIT, PAGE_HEADERS, Cursor, Limit, after, decode, fetch, paged
from worker.db.models import Business, Debtor
from worker.usecases.ageing import ageing, ageing_per_debtor

router = APIRouter(prefix="/reports", tags=["reports"])


class BucketOut(BaseModel):
    amount: str = Field(description="Open amount, two decimals.", examples=["121.00"])
    invoices: int


class DebtorAgeingOut(BaseModel):
    debtor_id: int
    name: str | None
    currencies: dict[str, dict[str, BucketOut]] = Field(
        description="Per currency, the buckets not_due / 1-30 / 31-60 / 61-90 / 90+; `{}` when nothing is owed.")


@router.get("/ageing")
def ageing_report(business: Business = Depends(current_business), session: Session = TRANSACTION,
                  now: datetime = Depends(request_now)) -> dict[str, Any]:
    """Open amounts per currency in the buckets not due / 1-30 / 31-60 / 61-90 / 90+ days overdue."""
    return ageing(session, business.id, now.date())


@router.get("/ageing/debtors", response_model=list[DebtorAgeingOut], responses=PAGE_HEADERS)
def ageing_by_debtor(request: Request, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                     business: Business = Depends(current_business), session: Session = TRANSACTION,
                     now: datetime = Depends(request_now)) -> Response:
    """The ageing report per debtor, by debtor id, a page of debtors at a time: the same buckets and figures as
    `/reports/ageing`, which is their sum. A debtor who owes nothing has no currencies (`{}`): a page costs the
    same whatever the debtors owe, rather than a search through every open invoice for the next debtor owing."""
    key = decode("ageing-debtors", cursor, (int,)) if cursor else None
    query = after(select(Debtor.id, Debtor.name).where(Debtor.business_id == business.id), [Debtor.id], key)
    page = fetch(session, query, limit, lambda r: (r.id,), scalars=False)
    figures = ageing_per_debtor(session, business.id, now.date(), [r.id for r in page.rows]) if page.rows else {}
    body = [{"debtor_id": r.id, "name": r.name, "currencies": figures[r.id]} for r in page.rows]
    return paged(request, json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), "ageing-debtors",
                 page.next_key, limit)
