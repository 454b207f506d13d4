"""The ageing report: what is still owed, by how long it has been overdue, summed by the database."""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from worker.db.models import Invoice
from worker.domain.status import InvoiceStatus

# The buckets finance people expect: not yet due, then 30-day bands.
BUCKETS: tuple[tuple[str, int | None, int | None], ...] = (
    ("not_due", None, 0), ("1-30", 1, 30), ("31-60", 31, 60), ("61-90", 61, 90), ("90+", 91, None))
OWED = (InvoiceStatus.OPEN.value, InvoiceStatus.PAUSED.value, InvoiceStatus.DISPUTED.value,
        InvoiceStatus.HANDED_OFF.value, InvoiceStatus.REVIEW.value)
CENT = Decimal("0.01")


def bucket_for(days_overdue: int) -> str:
    for name, low, high in BUCKETS:
        if (low is None or days_overdue >= low) and (high is None or days_overdue <= high):
            return name
    raise AssertionError("the buckets cover every integer")


def _bucket(today: date) -> ColumnElement[str]:
    """The bucket as a CASE on the due date against fixed dates (no date arithmetic, the same SQL on both databases):
    overdue by at most `high` days means due on or after today - high."""
    whens = [(Invoice.due_date >= today - timedelta(days=high), name) for name, _, high in BUCKETS if high is not None]
    return case(*whens, else_=BUCKETS[-1][0])


def _open() -> ColumnElement[Decimal | None]:
    return Invoice.amount_due - func.coalesce(Invoice.amount_paid, 0)


def owed_filter(business_id: int) -> list[ColumnElement[bool]]:
    """The invoices the report counts: still owed, with an amount and a due date, and something left to pay."""
    return [Invoice.business_id == business_id, Invoice.status.in_(OWED), Invoice.amount_due.is_not(None),
            Invoice.due_date.is_not(None), _open() > 0]


def _figures(rows: Sequence[Any]) -> dict[str, dict[str, dict[str, Any]]]:
    """{currency: {bucket: {amount, invoices}}} from (currency, bucket, sum, count) rows; every bucket present."""
    totals: dict[str, dict[str, Decimal]] = {}
    counts: dict[str, dict[str, int]] = {}
    for currency, bucket, amount, count in rows:
        totals.setdefault(currency, {name: Decimal(0) for name, _, _ in BUCKETS})[bucket] += Decimal(str(amount))
        counts.setdefault(currency, {name: 0 for name, _, _ in BUCKETS})[bucket] += count
    return {currency: {name: {"amount": str(totals[currency][name].quantize(CENT)),
                              "invoices": counts[currency][name]} for name, _, _ in BUCKETS}
            for currency in sorted(totals)}


def totals(figures: dict[str, dict[str, dict[str, Any]]]) -> dict[str, dict[str, Any]]:
    """Per currency, the sum of its buckets: {currency: {amount, invoices}}."""
    return {currency: {"amount": str(sum((Decimal(b["amount"]) for b in buckets.values()), Decimal(0)).quantize(CENT)),
                       "invoices": sum(b["invoices"] for b in buckets.values())}
            for currency, buckets in figures.items()}


def ageing(session: Session, business_id: int, today: date) -> dict[str, Any]:
    """Open amounts per currency and bucket, with invoice counts: one grouped query, one row per (currency, bucket);
    `totals` sums the buckets per currency."""
    currency, bucket = func.coalesce(Invoice.currency, "EUR"), _bucket(today)
    rows = session.execute(select(currency, bucket, func.sum(_open()), func.count())
                           .where(*owed_filter(business_id)).group_by(currency, bucket)).all()
    figures = _figures(rows)
    return {"as_of": today.isoformat(), "currencies": figures, "totals": totals(figures)}


def ageing_per_debtor(session: Session, business_id: int, today: date, debtor_ids: Sequence[int]
                      ) -> dict[int, dict[str, Any]]:
    """The same figures for each of `debtor_ids` (a page of debtors), in one grouped query."""
    currency, bucket = func.coalesce(Invoice.currency, "EUR"), _bucket(today)
    rows = session.execute(select(Invoice.debtor_id, currency, bucket, func.sum(_open()), func.count())
                           .where(*owed_filter(business_id), Invoice.debtor_id.in_(debtor_ids))
                           .group_by(Invoice.debtor_id, currency, bucket)).all()
    return {debtor_id: _figures([r[1:] for r in rows if r[0] == debtor_id]) for debtor_id in debtor_ids}
