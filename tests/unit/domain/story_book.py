"""The year 2027 of a small business with four debtors, as invoices and the things debtors do."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import holidays

from tests.unit.domain.ledger import Invoice, Ledger
from worker.domain.payment_plan import Instalment, PaymentPlan
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import Segment
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus

WINDOW = SendingWindow(holidays=frozenset(holidays.country_holidays("NL", years=[2026, 2027, 2028]).keys()))
BAKERY, GARAGE, CONSUMER, NEWCO = 1, 2, 3, 4
POLICIES = {
    BAKERY: policy_for(Segment.ON_TIME, False, WINDOW),
    GARAGE: policy_for(Segment.OCCASIONALLY_LATE, False, WINDOW),
    CONSUMER: policy_for(Segment.CHRONICALLY_LATE, True, WINDOW),  # offline: paper letters
    NEWCO: policy_for(Segment.NEW, False, WINDOW),
}


@dataclass(frozen=True)
class Happening:
    on: date
    invoice: int
    act: Callable[[Invoice], None]


def paid(inv: Invoice) -> None:
    inv.paid, inv.status = inv.amount, InvoiceStatus.PAID


def part(amount: str) -> Callable[[Invoice], None]:
    def act(inv: Invoice) -> None:
        inv.paid += Decimal(amount)
    return act


def promise(until: date) -> Callable[[Invoice], None]:
    def act(inv: Invoice) -> None:
        inv.promise_until, inv.promises = until, inv.promises + 1
    return act


def status(value: InvoiceStatus, resume: date | None = None) -> Callable[[Invoice], None]:
    def act(inv: Invoice) -> None:
        inv.status, inv.paused_until = value, resume
    return act


def plan(*instalments: tuple[date, str]) -> Callable[[Invoice], None]:
    def act(inv: Invoice) -> None:
        inv.plan = PaymentPlan(tuple(Instalment(d, Decimal(a)) for d, a in instalments))
    return act


def book() -> tuple[Ledger, list[Happening]]:
    ledger = Ledger(POLICIES, offline=frozenset({CONSUMER}))
    happenings: list[Happening] = []
    # The bakery: invoiced on the 5th, 30 days, pays on day 25 -- except August (holiday), paid late
    for month in range(1, 13):
        number = 100 + month
        issue = date(2027, month, 5)
        ledger.add(Invoice(number, BAKERY, issue, issue + timedelta(days=30), Decimal("1200.00")))
        pay_on = issue + timedelta(days=25) if month != 8 else date(2027, 9, 17)
        happenings.append(Happening(pay_on, number, paid))
    # The garage: invoiced on the 10th, 14 days, pays about a week late; extra work in June
    for month in range(1, 13):
        number = 200 + month
        issue = date(2027, month, 10)
        ledger.add(Invoice(number, GARAGE, issue, issue + timedelta(days=14), Decimal("450.00")))
        if month == 3:
            happenings.append(Happening(date(2027, 4, 6), number, promise(date(2027, 4, 16))))
            happenings.append(Happening(date(2027, 4, 16), number, paid))
        elif month == 6:
            happenings.append(Happening(date(2027, 6, 28), number, status(InvoiceStatus.DISPUTED)))
            happenings.append(Happening(date(2027, 7, 20), number, status(InvoiceStatus.CREDITED)))
        elif month != 12:
            happenings.append(Happening(issue + timedelta(days=21), number, paid))
    ledger.add(Invoice(250, GARAGE, date(2027, 6, 11), date(2027, 6, 25), Decimal("80.00")))
    happenings.append(Happening(date(2027, 7, 2), 250, paid))
    # The consumer: quarterly subscription, 14 days, pays only after the 14-day letter or not at all
    ledger.add(Invoice(301, CONSUMER, date(2027, 1, 15), date(2027, 1, 29), Decimal("240.00")))
    happenings.append(Happening(date(2027, 2, 25), 301, paid))
    ledger.add(Invoice(302, CONSUMER, date(2027, 4, 15), date(2027, 4, 29), Decimal("240.00")))
    happenings.append(Happening(date(2027, 5, 20), 302, plan((date(2027, 6, 1), "120.00"),
                                                             (date(2027, 7, 1), "120.00"))))
    happenings.append(Happening(date(2027, 5, 31), 302, part("120.00")))  # instalment 2 is never paid
    ledger.add(Invoice(303, CONSUMER, date(2027, 7, 15), date(2027, 7, 29), Decimal("240.00")))
    happenings.append(Happening(date(2027, 8, 10), 303, part("100.00")))
    happenings.append(Happening(date(2027, 9, 30), 303, paid))
    ledger.add(Invoice(304, CONSUMER, date(2027, 10, 15), date(2027, 10, 29), Decimal("240.00")))
    happenings.append(Happening(date(2027, 12, 1), 304, status(InvoiceStatus.WRITTEN_OFF)))
    # The new customer: two invoices in one week in September, one in October
    ledger.add(Invoice(401, NEWCO, date(2027, 9, 6), date(2027, 10, 6), Decimal("3000.00")))
    ledger.add(Invoice(402, NEWCO, date(2027, 9, 8), date(2027, 10, 8), Decimal("500.00")))
    ledger.add(Invoice(403, NEWCO, date(2027, 10, 20), date(2027, 11, 19), Decimal("700.00")))
    happenings.append(Happening(date(2027, 10, 20), 401, paid))
    happenings.append(Happening(date(2027, 10, 20), 402, paid))
    happenings.append(Happening(date(2027, 11, 18), 403, paid))
    return ledger, happenings
