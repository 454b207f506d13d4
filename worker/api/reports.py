"""Reports for finance: ageing of what is owed."""

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Depends
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, current_business, request_now
from worker.db.models import Business
from worker.usecases.ageing import ageing

router = APIRouter(prefix="/reports", tags=["reports"])


@router.get("/ageing")
def ageing_report(business: Business = Depends(current_business), session: Session = TRANSACTION,
                  now: datetime = Depends(request_now)) -> dict[str, Any]:
    """Open amounts per currency in the buckets not due / 1-30 / 31-60 / 61-90 / 90+ days overdue."""
    return ageing(session, business.id, now.date())
