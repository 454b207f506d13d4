"""Reports for finance: ageing, DSO, expected cash-in and chronic late payers, as JSON or CSV, at any `as_of`."""

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.api.deps import TRANSACTION, current_business, request_now
from worker.api.pagination import DEFAULT_LIMIT, PAGE_HEADERS, Cursor, Limit, after, decode, fetch, lead_on, paged
from worker.api.report_csv import csv_doc, csv_response, wants_csv
from worker.db.models import Business, Debtor
from worker.usecases.ageing import ageing, ageing_per_debtor, totals
from worker.usecases.report_cash_in import cash_in
from worker.usecases.report_dso import dso
from worker.usecases.report_late_payers import late_payers

router = APIRouter(prefix="/reports", tags=["reports"])
# Far enough for any business's history, near enough that counting back months never leaves the calendar.
EARLIEST, LATEST = date(1990, 1, 1), date(2999, 12, 31)


def report_date(now: datetime = Depends(request_now), as_of: date | None = Query(
        None, description="The day the report is for (YYYY-MM-DD); today (UTC) when left out. Days overdue and "
        "periods are counted to this day.", openapi_examples={"end of a quarter": {"value": "2027-03-31"}})) -> date:
    """`as_of`, or today; a day outside 1990..2999 is refused (422) rather than counted back through."""
    if as_of is None:
        return now.date()
    if not EARLIEST <= as_of <= LATEST:
        raise HTTPException(422, f"as_of must be a day between {EARLIEST} and {LATEST} (query parameter as_of)")
    return as_of


AsOf = Annotated[date, Depends(report_date)]


class BucketOut(BaseModel):
    amount: str = Field(description="Open amount, two decimals.", examples=["121.00"])
    invoices: int


class DebtorAgeingOut(BaseModel):
    debtor_id: int
    name: str | None
    currencies: dict[str, dict[str, BucketOut]] = Field(
        description="Per currency, the buckets not_due / 1-30 / 31-60 / 61-90 / 90+; `{}` when nothing is owed.")
    total: dict[str, BucketOut] = Field(default_factory=dict,
                                        description="Per currency, the sum of the buckets; `{}` when nothing is owed.")


class AgeingOut(BaseModel):
    as_of: date
    currencies: dict[str, dict[str, BucketOut]] = Field(
        description="Per currency, the buckets not_due (current) / 1-30 / 31-60 / 61-90 / 90+ days overdue.")
    totals: dict[str, BucketOut] = Field(description="Per currency, the sum of the buckets.")


AGEING_COLUMNS = ("currency", "bucket", "amount", "invoices")
DEBTOR_COLUMNS = ("debtor_id", "name", "currency", "bucket", "amount", "invoices")


@router.get("/ageing", response_model=AgeingOut, summary="Ageing of what is owed",
            responses=csv_doc(AGEING_COLUMNS, "currency,bucket,amount,invoices\r\nEUR,not_due,10.00,1\r\n"
                                              "EUR,1-30,121.00,1\r\n"))
def ageing_report(request: Request, as_of: AsOf, business: Business = Depends(current_business),
                  session: Session = TRANSACTION) -> Any:
    """Open amounts per currency in the buckets not due / 1-30 / 31-60 / 61-90 / 90+ days overdue at `as_of`,
    with a total per currency. Amounts are what is open now; `as_of` moves the day they are aged against.
    CSV (`Accept: text/csv`): one row per currency and bucket, then one `total` row per currency."""
    report = ageing(session, business.id, as_of)
    if wants_csv(request):
        rows = [(c, bucket, f["amount"], f["invoices"]) for c, buckets in report["currencies"].items()
                for bucket, f in buckets.items()]
        rows += [(c, "total", t["amount"], t["invoices"]) for c, t in report["totals"].items()]
        return csv_response(AGEING_COLUMNS, rows, f"ageing-{as_of}.csv")
    return report


@router.get("/ageing/debtors", response_model=list[DebtorAgeingOut], summary="Ageing per debtor",
            responses={200: {**PAGE_HEADERS[200], **csv_doc(DEBTOR_COLUMNS, "debtor_id,name,currency,bucket,amount,"
                                                            "invoices\r\n7,Klant BV,EUR,1-30,121.00,1\r\n")[200]}})
def ageing_by_debtor(request: Request, as_of: AsOf, limit: Limit = DEFAULT_LIMIT, cursor: Cursor = None,
                     business: Business = Depends(current_business), session: Session = TRANSACTION) -> Response:
    """The ageing report per debtor, by debtor id, a page of debtors at a time: the same buckets and figures as
    `/reports/ageing`, which is their sum. A debtor who owes nothing has no currencies (`{}`): a page costs the
    same whatever the debtors owe, rather than a search through every open invoice for the next debtor owing.
    CSV (`Accept: text/csv`): one row per debtor, currency and bucket (debtors owing nothing have no rows), the
    same page and `Link` header."""
    key = decode("ageing-debtors", cursor, (int,)) if cursor else None
    query = after(select(Debtor.id, Debtor.name).where(Debtor.business_id == business.id), [Debtor.id], key)
    page = fetch(session, query, limit, lambda r: (r.id,), scalars=False)
    figures = ageing_per_debtor(session, business.id, as_of, [r.id for r in page.rows]) if page.rows else {}
    body = [{"debtor_id": r.id, "name": r.name, "currencies": figures[r.id], "total": totals(figures[r.id])}
            for r in page.rows]
    if wants_csv(request):
        response = csv_response(DEBTOR_COLUMNS, [
            (d["debtor_id"], d["name"], c, bucket, f["amount"], f["invoices"]) for d in body
            for c, buckets in d["currencies"].items() for bucket, f in buckets.items()], f"ageing-debtors-{as_of}.csv")
        lead_on(request, response, "ageing-debtors", page.next_key, limit)
        return response
    return paged(request, json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode(), "ageing-debtors",
                 page.next_key, limit)


class DsoPeriodOut(BaseModel):
    start: date
    end: date
    sales: str = Field(description="Invoiced in the period (by issue date), two decimals.", examples=["12000.00"])
    days_counted: str = Field(description="Days of this period the receivables cover.", examples=["28.0"])


class DsoCurrencyOut(BaseModel):
    receivables: str = Field(description="Open at `as_of`: invoiced up to it less paid up to it.",
                             examples=["25000.00"])
    dso_days: str = Field(description="Days sales outstanding, one decimal.", examples=["58.0"])
    at_least: bool = Field(description="True when the receivables exceed 24 months of sales: the DSO is at least "
                                       "`dso_days`.")
    periods: list[DsoPeriodOut] = Field(description="The months counted back through, newest first.")


class DsoOut(BaseModel):
    as_of: date
    method: str = Field(examples=["count-back"])
    currencies: dict[str, DsoCurrencyOut]


DSO_COLUMNS = ("currency", "receivables", "dso_days", "at_least", "period_start", "period_end", "sales",
               "days_counted")


@router.get("/dso", response_model=DsoOut, summary="Days sales outstanding (count-back)",
            responses=csv_doc(DSO_COLUMNS, "currency,receivables,dso_days,at_least,period_start,period_end,sales,"
                                           "days_counted\r\nEUR,25000.00,58.0,false,2027-03-01,2027-03-15,10000.00,"
                                           "15.0\r\n"))
def dso_report(request: Request, as_of: AsOf, business: Business = Depends(current_business),
               session: Session = TRANSACTION) -> Any:
    """DSO per currency by the count-back method: the receivables at `as_of` (invoiced up to that day, less
    what was paid up to it) are set against the sales of the month so far, then of each whole month before,
    until they are used up; the DSO is the days of the months used, the last one in part. Example: 25 000 owed
    on 15 March, sales 10 000 in March so far (15 days), 12 000 in February (28), 6 200 in January (31):
    15 + 28 + 31 x 3 000 / 6 200 = 58.0 days. CSV: one row per month counted back through."""
    report = dso(session, business.id, as_of)
    if wants_csv(request):
        rows: list[tuple[Any, ...]] = []
        for c, f in report["currencies"].items():
            head = (c, f["receivables"], f["dso_days"], str(f["at_least"]).lower())
            rows += [(*head, p["start"], p["end"], p["sales"], p["days_counted"]) for p in f["periods"]] or [
                (*head, "", "", "", "")]
        return csv_response(DSO_COLUMNS, rows, f"dso-{as_of}.csv")
    return report


class CashFiguresOut(BaseModel):
    amount: str = Field(examples=["121.00"])
    invoices: int
    from_due_date: str = Field(description="Part expected on invoices' due dates.", examples=["100.00"])
    from_promise: str = Field(description="Part the debtors promised to pay then.", examples=["21.00"])
    from_plan: str = Field(description="Part of payment-plan instalments due then.", examples=["0.00"])


class CashWeekOut(CashFiguresOut):
    week_start: date = Field(description="Monday of the ISO week.")
    week_end: date = Field(description="Sunday of the ISO week.")


class CashCurrencyOut(BaseModel):
    overdue: CashFiguresOut = Field(description="Expected before `as_of` and still open: late, not scheduled.")
    weeks: list[CashWeekOut]
    later: CashFiguresOut = Field(description="Expected after the last week shown.")


class CashInOut(BaseModel):
    as_of: date
    weeks: int
    currencies: dict[str, CashCurrencyOut]


CASH_COLUMNS = ("currency", "period", "week_start", "week_end", "amount", "invoices", "from_due_date",
                "from_promise", "from_plan")


@router.get("/cash-in", response_model=CashInOut, summary="Expected cash-in per week",
            responses=csv_doc(CASH_COLUMNS, "currency,period,week_start,week_end,amount,invoices,from_due_date,"
                                            "from_promise,from_plan\r\nEUR,week,2027-02-01,2027-02-07,121.00,1,"
                                            "121.00,0.00,0.00\r\n"))
def cash_in_report(request: Request, as_of: AsOf,
                   weeks: int = Query(12, ge=1, le=104, description="How many weeks to show, from the week of "
                                      "`as_of`.", openapi_examples={"a quarter": {"value": 13}}),
                   business: Business = Depends(current_business), session: Session = TRANSACTION) -> Any:
    """What is expected to come in per ISO week: each open invoice on its due date, unless the debtor promised
    a date (the latest promise) or agreed a payment plan (its unpaid instalments, each on its date). Money
    expected before `as_of` that has not come is `overdue`; after the last week, `later`. CSV: one row per
    period: `overdue`, each `week`, `later` (the week columns empty for the first and last)."""
    report = cash_in(session, business.id, as_of, weeks)
    if wants_csv(request):
        figures = ("amount", "invoices", "from_due_date", "from_promise", "from_plan")
        rows = []
        for c, f in report["currencies"].items():
            rows.append((c, "overdue", "", "", *(f["overdue"][k] for k in figures)))
            rows += [(c, "week", w["week_start"], w["week_end"], *(w[k] for k in figures)) for w in f["weeks"]]
            rows.append((c, "later", "", "", *(f["later"][k] for k in figures)))
        return csv_response(CASH_COLUMNS, rows, f"cash-in-{as_of}.csv")
    return report


class LatePeriodOut(BaseModel):
    start: date
    end: date
    invoices: int = Field(description="Invoices due in the period.")
    late_invoices: int
    average_days_late: str | None = Field(description="Days late per invoice due (on time counts 0); null when "
                                                      "none was due.", examples=["12.5"])


class LatePayerOut(BaseModel):
    debtor_id: int
    name: str | None
    invoices: int
    late_invoices: int
    average_days_late: str = Field(examples=["23.4"])
    trend: str = Field(description="worse | better | steady (the latest period against the earlier ones, 3 days "
                                   "or more) | new (nothing earlier).", examples=["worse"])
    periods: list[LatePeriodOut] = Field(description="Oldest first.")


class LatePayersOut(BaseModel):
    as_of: date
    periods: int
    period_days: int
    min_late: int
    min_average_days: str
    debtors: list[LatePayerOut]


LATE_COLUMNS = ("debtor_id", "name", "invoices", "late_invoices", "average_days_late", "trend", "period_start",
                "period_end", "period_invoices", "period_late_invoices", "period_average_days_late")


@router.get("/late-payers", response_model=LatePayersOut, summary="Chronic late payers and their trend",
            responses=csv_doc(LATE_COLUMNS, ",".join(LATE_COLUMNS) + "\r\n7,Klant BV,6,5,23.4,worse,2026-12-03,"
                                            "2027-03-02,2,2,40.0\r\n"))
def late_payers_report(request: Request, as_of: AsOf,
                       periods: int = Query(4, ge=2, le=12, description="How many periods to compare."),
                       period_days: int = Query(90, ge=7, le=366, description="Days per period, ending on "
                                                "`as_of`."),
                       min_late: int = Query(3, ge=1, le=1000, description="Late invoices over all periods that "
                                             "make a debtor chronic."),
                       min_average_days: Decimal = Query(Decimal(7), ge=0, le=3650, max_digits=6, decimal_places=1,
                                                         description="Average days late per invoice that make a "
                                                         "debtor chronic."),
                       limit: int = Query(50, ge=1, le=500, description="At most this many debtors, the latest "
                                          "payers first."),
                       business: Business = Depends(current_business), session: Session = TRANSACTION) -> Any:
    """Debtors late on at least `min_late` invoices due in the last `periods` x `period_days` days, by
    `min_average_days` or more per invoice, the latest payers first. An invoice's days late run from its due
    date to its last payment (still open: to `as_of`). Each debtor has its periods, oldest first, and a trend.
    CSV: one row per debtor and period."""
    report = late_payers(session, business.id, as_of, periods=periods, period_days=period_days, min_late=min_late,
                         min_average_days=min_average_days, limit=limit)
    if wants_csv(request):
        rows = [(d["debtor_id"], d["name"], d["invoices"], d["late_invoices"], d["average_days_late"], d["trend"],
                 p["start"], p["end"], p["invoices"], p["late_invoices"], p["average_days_late"])
                for d in report["debtors"] for p in d["periods"]]
        return csv_response(LATE_COLUMNS, rows, f"late-payers-{as_of}.csv")
    return report
