"""The inputs of the ladder decision for one invoice: its facts, its debtor's policy, the business's window.

Each is the one-invoice case of `decision_batch`, so explain, the send guards and the tick decide alike.
"""

from datetime import date, datetime, time
from functools import lru_cache

import holidays
from sqlalchemy.orm import Session

from worker.db.models import Business, Debtor, Invoice
from worker.domain.facts import InvoiceFacts
from worker.domain.policy import LadderPolicy
from worker.domain.segments import PaymentRecord
from worker.domain.sending_window import DAY_NAMES, SendingWindow
from worker.usecases.decision_batch import facts_for, histories_for, latest_invoices, policies_for


@lru_cache(maxsize=256)
def _holidays(country: str, year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays(country, years=range(year - 1, year + 2)).keys())


def sending_window(business: Business, now: datetime) -> SendingWindow:
    """The business's window (its `sending_opens`, `sending_closes` and `sending_days` settings, else weekdays
    08:00-18:00); public holidays come from the maintained `holidays` package."""
    settings = business.settings
    default = SendingWindow()
    days = settings.get("sending_days")
    return SendingWindow(timezone=business.timezone,
                         opens=time.fromisoformat(settings["sending_opens"]) if settings.get("sending_opens")
                         else default.opens,
                         closes=time.fromisoformat(settings["sending_closes"]) if settings.get("sending_closes")
                         else default.closes,
                         weekdays=frozenset(DAY_NAMES.index(d) for d in days) if days else default.weekdays,
                         holidays=_holidays(settings.get("country", "NL"), now.year))


def payment_history(session: Session, debtor: Debtor, today: date) -> list[PaymentRecord]:
    """Due and paid dates of the debtor's invoices (the paid date from the last recorded payment)."""
    return histories_for(session, {debtor.id: today}).get(debtor.id, [])


def debtor_policy(session: Session, business: Business, debtor: Debtor, window: SendingWindow,
                  today: date) -> LadderPolicy:
    """The ladder for this debtor's segment and law (see `decision_batch.policies_for`)."""
    return policies_for(business, [debtor], window, today, histories_for(session, {debtor.id: today}),
                        latest_invoices(session, [debtor.id]))[debtor.id]


def invoice_facts(session: Session, invoice: Invoice, debtor: Debtor) -> InvoiceFacts:
    """The decision's inputs, derived from the outbox and the timeline (never from mutable counters)."""
    assert invoice.due_date is not None
    return facts_for(session, [invoice], {debtor.id: debtor})[invoice.id]
