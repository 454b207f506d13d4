"""The ageing report: what is still owed, by how long it has been overdue."""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.db.models import Invoice
from worker.domain.status import InvoiceStatus
from worker.usecases.ledger import open_amount

# The buckets finance people expect: not yet due, then 30-day bands.
BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("not_due", None, 0), ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None))
OWED = (InvoiceStatus.OPEN.value, InvoiceStatus.PAUSED.value, InvoiceStatus.DISPUTED.value,
        InvoiceStatus.HANDED_OFF.value, InvoiceStatus.REVIEW.value)


def bucket_for(days_overdue: int) -> str:
    for name, low, high in BUCKETS:
        if (low is None or days_overdue >= low) and (high is None or days_overdue <= high):
            return name
    raise AssertionError("the buckets cover every integer")


def ageing(session: Session, business_id: int, today: date) -> dict[str, Any]:
    """Open amounts per currency and bucket, with invoice counts."""
    totals: dict[str, dict[str, Decimal]] = defaultdict(lambda: {name: Decimal(0) for name, _, _ in BUCKETS})
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {name: 0 for name, _, _ in BUCKETS})
    for invoice in session.scalars(select(Invoice).where(Invoice.business_id == business_id,
                                                         Invoice.status.in_(OWED))):
        if invoice.amount_due is None or invoice.due_date is None:
            continue
        remaining = open_amount(invoice)
        if remaining <= 0:
            continue
        name = bucket_for((today - invoice.due_date).days)
        currency = invoice.currency or "EUR"
        totals[currency][name] += remaining
        counts[currency][name] += 1
    return {"as_of": today.isoformat(), "currencies": {
        currency: {name: {"amount": str(totals[currency][name].quantize(Decimal("0.01"))),
                          "invoices": counts[currency][name]} for name, _, _ in BUCKETS}
        for currency in sorted(totals)}}
