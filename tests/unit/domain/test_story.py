"""A year of invoices for four debtors of different segments, the clock moved day by day.

The bakery (on time, business), the garage (occasionally late, business), a consumer who is chronically
late and offline (paper letters, 14-day letters), and a new business customer. Real Dutch public holidays
of 2027 (Good Friday, Easter Monday, King's Day, Ascension, Whit Monday, Christmas) close the window.
"""

from datetime import date, timedelta
from decimal import Decimal

from tests.unit.domain.ledger import Ledger, mornings
from tests.unit.domain.story_book import BAKERY, CONSUMER, GARAGE, NEWCO, WINDOW, book
from worker.domain.explain import explain
from worker.domain.segments import PaymentRecord, Segment, assess
from worker.domain.status import InvoiceStatus

EXPECTED = [
    # (day, debtor, step, invoices, amount asked)
    ("2027-01-21", GARAGE, "courtesy", (201,), "450.00"),  # due Sun 24 Jan, -3
    ("2027-01-25", CONSUMER, "courtesy", (301,), "240.00"),  # due Fri 29 Jan, -5 is a Sunday
    ("2027-01-26", GARAGE, "reminder", (201,), "450.00"),  # +1 is the 25th; the 5-day gap ends on the 26th
    ("2027-02-01", CONSUMER, "reminder", (301,), "240.00"),  # +1 is Saturday
    ("2027-02-08", CONSUMER, "fourteen_day_letter", (301,), "240.00"),  # by post; paid on 25 Feb, the 1st day
    ("2027-02-22", GARAGE, "courtesy", (202,), "450.00"),  # after the term (Feb 11..24, received Wed 10)
    ("2027-03-01", GARAGE, "reminder", (202,), "450.00"),
    ("2027-03-22", GARAGE, "courtesy", (203,), "450.00"),
    ("2027-03-30", GARAGE, "reminder", (203,), "450.00"),  # Good Friday .. Easter Monday closed
    # 6 April: the garage promises to pay 203 by 16 April; the firm reminder of 7 April never goes; paid 16th
    ("2027-04-21", GARAGE, "courtesy", (204,), "450.00"),
    ("2027-04-26", GARAGE, "reminder", (204,), "450.00"),
    ("2027-04-26", CONSUMER, "courtesy", (302,), "240.00"),
    ("2027-05-03", CONSUMER, "reminder", (302,), "240.00"),  # King's Day 27 April is closed anyway
    ("2027-05-10", CONSUMER, "fourteen_day_letter", (302,), "240.00"),
    # 20 May: a payment plan for 302 (120 on 1 June, 120 on 1 July) stops the ladder; 120 paid on 31 May
    ("2027-05-21", GARAGE, "courtesy", (205,), "450.00"),
    ("2027-05-26", GARAGE, "reminder", (205,), "450.00"),
    ("2027-06-21", GARAGE, "courtesy", (206, 250), "530.00"),  # 250's courtesy (22nd) rides along
    # 28 June: 206 is disputed, so only 250 is reminded; 206 is credited on 20 July and never mentioned again
    ("2027-06-28", GARAGE, "reminder", (250,), "80.00"),
    ("2027-06-28", CONSUMER, "instalment_2", (302,), "120.00"),
    # instalment 2 missed (grace to 4 July): the ladder resumes after the 14-day letter, for the 120 left
    ("2027-07-05", CONSUMER, "last_reminder", (302,), "120.00"),
    ("2027-07-12", CONSUMER, "final_notice", (302,), "120.00"),
    ("2027-07-20", CONSUMER, "handoff", (302,), "120.00"),  # the day after the final notice's deadline
    ("2027-07-21", GARAGE, "courtesy", (207,), "450.00"),
    ("2027-07-26", GARAGE, "reminder", (207,), "450.00"),
    ("2027-07-26", CONSUMER, "courtesy", (303,), "240.00"),
    ("2027-08-02", CONSUMER, "reminder", (303,), "240.00"),
    ("2027-08-09", CONSUMER, "fourteen_day_letter", (303,), "240.00"),
    ("2027-08-23", GARAGE, "courtesy", (208,), "450.00"),
    ("2027-08-26", CONSUMER, "last_reminder", (303,), "140.00"),  # 100 paid on 10 August
    ("2027-08-30", GARAGE, "reminder", (208,), "450.00"),
    ("2027-09-02", BAKERY, "courtesy", (108,), "1200.00"),  # the bakery's August invoice, paid 17 Sept
    ("2027-09-02", CONSUMER, "final_notice", (303,), "140.00"),
    ("2027-09-09", BAKERY, "reminder", (108,), "1200.00"),
    ("2027-09-09", NEWCO, "arrival_check", (401, 402), "3500.00"),  # one message for both new invoices
    ("2027-09-10", CONSUMER, "handoff", (303,), "140.00"),
    ("2027-09-21", GARAGE, "courtesy", (209,), "450.00"),
    ("2027-09-27", GARAGE, "reminder", (209,), "450.00"),
    ("2027-10-04", NEWCO, "courtesy", (401, 402), "3500.00"),
    ("2027-10-11", NEWCO, "reminder", (401, 402), "3500.00"),
    ("2027-10-21", GARAGE, "courtesy", (210,), "450.00"),
    ("2027-10-25", CONSUMER, "courtesy", (304,), "240.00"),
    ("2027-10-25", NEWCO, "arrival_check", (403,), "700.00"),
    ("2027-10-26", GARAGE, "reminder", (210,), "450.00"),
    ("2027-11-01", CONSUMER, "reminder", (304,), "240.00"),
    ("2027-11-08", CONSUMER, "fourteen_day_letter", (304,), "240.00"),
    ("2027-11-16", NEWCO, "courtesy", (403,), "700.00"),
    ("2027-11-22", GARAGE, "courtesy", (211,), "450.00"),
    ("2027-11-25", CONSUMER, "last_reminder", (304,), "240.00"),  # 304 is written off on 1 December
    ("2027-11-29", GARAGE, "reminder", (211,), "450.00"),
    ("2027-12-21", GARAGE, "courtesy", (212,), "450.00"),
    ("2027-12-27", GARAGE, "reminder", (212,), "450.00"),  # Christmas closed
    ("2028-01-07", GARAGE, "firm_reminder", (212,), "450.00"),  # 212 is never paid
    ("2028-01-21", GARAGE, "last_reminder", (212,), "450.00"),
    ("2028-01-28", GARAGE, "final_notice", (212,), "450.00"),
    ("2028-02-05", GARAGE, "handoff", (212,), "450.00"),
]


def run_year() -> Ledger:
    ledger, happenings = book()
    for now in mornings(date(2027, 1, 1), date(2028, 2, 29)):
        for happening in happenings:
            if happening.on == now.date():
                happening.act(ledger.invoices[happening.invoice])
        if now.date() == date(2027, 4, 8):
            e = explain(ledger.facts(ledger.invoices[203]), now, ledger.policies[GARAGE])
            assert "the debtor promised to pay by 2027-04-16" in e.reasons[1]
        ledger.tick(now)
    return ledger


def test_a_year_of_messages():
    ledger = run_year()
    got = [(s.on.isoformat(), s.debtor, s.step, s.invoices, str(s.total)) for s in ledger.log]
    assert got == EXPECTED


def test_the_year_keeps_the_rules():
    ledger = run_year()
    for debtor in (BAKERY, GARAGE, CONSUMER, NEWCO):
        times = [at for at, s in zip(ledger.at, ledger.log, strict=True) if s.debtor == debtor and s.step != "handoff"]
        assert all(b - a >= timedelta(days=5) for a, b in zip(times, times[1:], strict=False))
        assert all(WINDOW.is_open(at) for at in times)
    letters = {s.step for s in ledger.log if s.debtor == CONSUMER}
    assert "firm_reminder" not in letters  # consumers get the 14-day letter instead


def test_segments_after_the_year():
    """Re-scored from the year's payments: the garage, always a week late, belongs on the chronic ladder."""
    ledger = run_year()
    today = date(2027, 12, 31)
    scores = {}
    for debtor in (BAKERY, GARAGE, CONSUMER, NEWCO):
        # credited and written-off invoices say nothing about paying habits; handed-off ones are unpaid
        records = [PaymentRecord(i.due, _paid_on(i.id) if i.status is InvoiceStatus.PAID else None)
                   for i in ledger.invoices.values()
                   if i.debtor == debtor and i.status not in (InvoiceStatus.CREDITED, InvoiceStatus.WRITTEN_OFF)]
        scores[debtor] = assess(records, today).segment
    assert scores == {BAKERY: Segment.ON_TIME, GARAGE: Segment.CHRONICALLY_LATE,
                      CONSUMER: Segment.CHRONICALLY_LATE, NEWCO: Segment.OCCASIONALLY_LATE}


def _paid_on(invoice_id: int) -> date:
    _, happenings = book()
    return max(h.on for h in happenings if h.invoice == invoice_id)


def test_part_payments_lower_the_amount_asked():
    amounts = [(s.step, s.total) for s in run_year().log if s.invoices == (303,)]
    assert amounts[-1] == ("handoff", Decimal("140.00"))
