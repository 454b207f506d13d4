"""DSO (count-back) per currency: the receivables at a date against the sales of the months before it."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from worker.db.models import Invoice, Payment
from worker.domain.dso import SalesPeriod, count_back, month_periods
from worker.domain.status import InvoiceStatus
from worker.usecases.ageing import CENT, OWED

MAX_MONTHS = 24  # receivables beyond two years of sales: the DSO is "at least" that, and says so
# Receivable on a past date: invoices still owed now, and those paid since (they were owed then).
_COUNTED = (*OWED, InvoiceStatus.PAID.value)


def _receivables(session: Session, business_id: int, as_of: date) -> dict[str, Decimal]:
    """Per currency: invoiced up to `as_of` less what was paid on it up to `as_of` (payments by their paid date)."""
    applied = Payment.amount - Payment.credit
    paid = (select(Payment.invoice_id, func.sum(case((Payment.kind == "payment", applied), else_=-applied))
                   .label("paid"))
            .where(Payment.business_id == business_id, Payment.paid_on <= as_of)
            .group_by(Payment.invoice_id).subquery())
    open_then = Invoice.amount_due - func.coalesce(paid.c.paid, 0)
    currency = func.coalesce(Invoice.currency, "EUR")
    rows = session.execute(
        select(currency, func.sum(open_then)).outerjoin(paid, paid.c.invoice_id == Invoice.id)
        .where(Invoice.business_id == business_id, Invoice.status.in_(_COUNTED), Invoice.amount_due.is_not(None),
               func.coalesce(Invoice.issue_date, Invoice.due_date) <= as_of, open_then > 0)
        .group_by(currency)).all()
    return {c: Decimal(str(amount)) for c, amount in rows}


def _sales(session: Session, business_id: int, periods: list[SalesPeriod]) -> dict[str, list[SalesPeriod]]:
    """Per currency, `periods` with what was invoiced in each (by issue date, credited invoices left out), in one
    grouped query: the period as a CASE on fixed dates, the same SQL on both databases."""
    issued = func.coalesce(Invoice.issue_date, Invoice.due_date)
    index = case(*((issued >= p.start, n) for n, p in enumerate(periods)), else_=len(periods))
    currency = func.coalesce(Invoice.currency, "EUR")
    rows = session.execute(
        select(currency, index, func.sum(Invoice.amount_due))
        .where(Invoice.business_id == business_id, Invoice.amount_due.is_not(None),
               Invoice.status != InvoiceStatus.CREDITED.value, issued >= periods[-1].start, issued <= periods[0].end)
        .group_by(currency, index)).all()
    found: dict[str, list[SalesPeriod]] = {}
    for c, n, amount in rows:
        filled = found.setdefault(c, list(periods))
        filled[n] = SalesPeriod(periods[n].start, periods[n].end, Decimal(str(amount)))
    return found


def dso(session: Session, business_id: int, as_of: date, months: int = MAX_MONTHS) -> dict[str, Any]:
    """The count-back DSO per currency, with the receivables, and the months it counted back through."""
    periods = month_periods(as_of, months)
    receivables = _receivables(session, business_id, as_of)
    sales = _sales(session, business_id, periods)
    currencies = {}
    for currency in sorted(set(receivables) | set(sales)):
        owed = receivables.get(currency, Decimal(0))
        result = count_back(owed, sales.get(currency, periods))
        currencies[currency] = {
            "receivables": str(owed.quantize(CENT)), "dso_days": str(result.days), "at_least": result.exhausted,
            "periods": [{"start": p.start.isoformat(), "end": p.end.isoformat(), "sales": str(p.sales.quantize(CENT)),
                         "days_counted": str(days)} for p, days in result.used]}
    return {"as_of": as_of.isoformat(), "method": "count-back", "currencies": currencies}
