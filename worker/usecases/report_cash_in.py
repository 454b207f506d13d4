"""Expected cash-in per week: open amounts by due date, promised date or plan instalment.

Invoices without a promise or plan (nearly all of them) are summed by the database per week, as a CASE on fixed
dates; only invoices with a promise or plan recorded by `as_of` are read one by one, to follow the agreement."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from worker.db.models import Invoice, TimelineEvent
from worker.domain.cash_in import expected_payments, period_of, week_starts
from worker.domain.events import EventKind
from worker.usecases.ageing import CENT, owed_filter
from worker.usecases.decision_batch import chunks
from worker.usecases.ledger import open_amount
from worker.usecases.payment_plans import plan_from

_AGREEMENTS = (EventKind.PROMISE_TO_PAY_RECORDED.value, EventKind.PAYMENT_PLAN_AGREED.value)
SOURCES = ("due_date", "promise", "plan")


def _agreed(business_id: int, until: datetime) -> Any:
    return (select(TimelineEvent.invoice_id)
            .where(TimelineEvent.business_id == business_id, TimelineEvent.kind.in_(_AGREEMENTS),
                   TimelineEvent.at < until, TimelineEvent.invoice_id.is_not(None)))


def _empty() -> dict[str, Any]:
    return {"amount": Decimal(0), "counted": 0, "ids": set(), **{s: Decimal(0) for s in SOURCES}}


def cash_in(session: Session, business_id: int, as_of: date, weeks: int) -> dict[str, Any]:
    """Per currency: what is expected in each of `weeks` weeks from the week of `as_of`, split by why it is
    expected then; "overdue" (expected before `as_of`, not in) and "later" (after the last week) apart."""
    starts = week_starts(as_of, weeks)
    until = datetime.combine(as_of + timedelta(days=1), time(), UTC)
    slots: dict[str, dict[str, dict[str, Any]]] = {}

    def add(currency: str, period: str, source: str, amount: Decimal, counted: int = 0, invoice_id: int | None = None
            ) -> None:
        slot = slots.setdefault(currency, {}).setdefault(period, _empty())
        slot["amount"] += amount
        slot[source] += amount
        slot["counted"] += counted
        if invoice_id is not None:  # an invoice on a plan may pay twice in one week: counted once
            slot["ids"].add(invoice_id)

    currency = func.coalesce(Invoice.currency, "EUR")
    week = case((Invoice.due_date < as_of, "overdue"),
                *((Invoice.due_date < start + timedelta(weeks=1), start.isoformat()) for start in starts),
                else_="later")
    for c, period, amount, count in session.execute(
            select(currency, week, func.sum(Invoice.amount_due - func.coalesce(Invoice.amount_paid, 0)), func.count())
            .where(*owed_filter(business_id), Invoice.id.not_in(_agreed(business_id, until)))
            .group_by(currency, week)):
        add(c, period, "due_date", Decimal(str(amount)), counted=count)
    agreed_ids = session.scalars(select(Invoice.id).where(*owed_filter(business_id),
                                                          Invoice.id.in_(_agreed(business_id, until)))).all()
    for ids in chunks(agreed_ids):
        latest: dict[int, tuple[str, dict[str, Any]]] = {}
        for invoice_id, kind, data in session.execute(
                select(TimelineEvent.invoice_id, TimelineEvent.kind, TimelineEvent.data)
                .where(TimelineEvent.invoice_id.in_(ids), TimelineEvent.kind.in_(_AGREEMENTS),
                       TimelineEvent.at < until).order_by(TimelineEvent.at, TimelineEvent.id)):
            latest[invoice_id] = (kind, data)  # the latest agreement replaces the ones before
        for invoice in session.scalars(select(Invoice).where(Invoice.id.in_(ids))):
            kind, data = latest[invoice.id]
            promised = date.fromisoformat(data["promised_date"]) if kind == _AGREEMENTS[0] else None
            plan = plan_from(data, invoice) if kind == _AGREEMENTS[1] else None
            assert invoice.due_date is not None  # owed_filter
            for expected in expected_payments(open_amount(invoice), invoice.due_date, promised=promised, plan=plan):
                add(invoice.currency or "EUR", period_of(expected.on, as_of, starts), expected.source,
                    expected.amount, invoice_id=invoice.id)
    return {"as_of": as_of.isoformat(), "weeks": weeks,
            "currencies": {c: _shape(slots[c], starts) for c in sorted(slots)}}


def _figures(slot: dict[str, Any]) -> dict[str, Any]:
    return {"amount": str(slot["amount"].quantize(CENT)), "invoices": slot["counted"] + len(slot["ids"]),
            **{f"from_{s}": str(slot[s].quantize(CENT)) for s in SOURCES}}


def _shape(slots: dict[str, dict[str, Any]], starts: list[date]) -> dict[str, Any]:
    return {"overdue": _figures(slots.get("overdue", _empty())),
            "weeks": [{"week_start": s.isoformat(), "week_end": (s + timedelta(days=6)).isoformat(),
                       **_figures(slots.get(s.isoformat(), _empty()))} for s in starts],
            "later": _figures(slots.get("later", _empty()))}
