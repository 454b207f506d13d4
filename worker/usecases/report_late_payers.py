"""Chronic late payers: per debtor and period, how many invoices were paid late and by how many days on average.

One grouped query: an invoice's days late are from its due date to its last payment's paid date (paid invoices),
or to `as_of` (invoices still owed, or paid only after `as_of`); on time counts 0. The period is a CASE on fixed
dates, the days a per-database date difference (worker.usecases.report_sql)."""

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from worker.db.models import Debtor, Invoice, Payment
from worker.domain.lateness import Period, is_chronic, periods_before, trend
from worker.domain.status import InvoiceStatus
from worker.usecases.ageing import OWED
from worker.usecases.report_sql import days_between


def late_payers(session: Session, business_id: int, as_of: date, *, periods: int, period_days: int,
                min_late: int, min_average_days: Decimal, limit: int) -> dict[str, Any]:
    """The debtors who are chronically late, the latest first by average days late, with a trend each."""
    bounds = periods_before(as_of, periods, period_days)
    last_paid = (select(Payment.invoice_id, func.max(Payment.paid_on).label("paid_on"))
                 # paid before the first period: paid before any due date in it, on time either way
                 .where(Payment.business_id == business_id, Payment.kind == "payment",
                        Payment.paid_on >= bounds[0][0])
                 .group_by(Payment.invoice_id).subquery())
    # Paid after as_of, or still owed: late until as_of. A paid invoice without a payment row counts on time.
    settled = case((Invoice.status.in_(OWED), as_of), (last_paid.c.paid_on > as_of, as_of),
                   else_=func.coalesce(last_paid.c.paid_on, Invoice.due_date))
    days = days_between(Invoice.due_date, settled)
    late_days = case((days > 0, days), else_=0)
    index = case(*((Invoice.due_date <= end, n) for n, (_, end) in enumerate(bounds)), else_=len(bounds))
    rows = session.execute(
        select(Invoice.debtor_id, index, func.count(), func.sum(case((days > 0, 1), else_=0)), func.sum(late_days))
        .outerjoin(last_paid, last_paid.c.invoice_id == Invoice.id)
        .where(Invoice.business_id == business_id, Invoice.due_date.is_not(None),
               Invoice.due_date >= bounds[0][0], Invoice.due_date <= as_of,
               Invoice.status.in_((*OWED, InvoiceStatus.PAID.value)),
               # an owed invoice counts only while something is still open on it
               (Invoice.status == InvoiceStatus.PAID.value)
               | (Invoice.amount_due - func.coalesce(Invoice.amount_paid, 0) > 0))
        .group_by(Invoice.debtor_id, index)).all()
    by_debtor: dict[int, list[Period]] = {}
    for debtor_id, n, count, late, total in rows:
        filled = by_debtor.setdefault(debtor_id, [Period(start, end) for start, end in bounds])
        filled[n] = Period(bounds[n][0], bounds[n][1], int(count), int(late or 0), int(total or 0))
    chronic = [(d, ps) for d, ps in by_debtor.items() if is_chronic(ps, min_late, min_average_days)]
    overall = {d: Period(ps[0].start, ps[-1].end, sum(p.invoices for p in ps), sum(p.late for p in ps),
                         sum(p.days_late for p in ps)) for d, ps in chronic}
    # The latest payers first (total days late over invoices), and only the first `limit` of them built
    chronic.sort(key=lambda item: (-overall[item[0]].days_late / overall[item[0]].invoices, item[0]))
    chronic = chronic[:limit]
    names = dict(session.execute(select(Debtor.id, Debtor.name).where(Debtor.id.in_([d for d, _ in chronic]))).all()
                 ) if chronic else {}
    found = [{"debtor_id": debtor_id, "name": names.get(debtor_id), "invoices": overall[debtor_id].invoices,
              "late_invoices": overall[debtor_id].late,
              "average_days_late": str(overall[debtor_id].average_days_late), "trend": trend(ps),
              "periods": [{"start": p.start.isoformat(), "end": p.end.isoformat(), "invoices": p.invoices,
                           "late_invoices": p.late,
                           "average_days_late": None if p.average_days_late is None else str(p.average_days_late)}
                          for p in ps]} for debtor_id, ps in chronic]
    return {"as_of": as_of.isoformat(), "periods": periods, "period_days": period_days, "min_late": min_late,
            "min_average_days": str(min_average_days), "debtors": found}
