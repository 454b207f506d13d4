"""The reports' pure rules without a database: count-back DSO (the docstring's worked example), when cash is
expected, and how a late payer's trend is read."""

from datetime import date
from decimal import Decimal

from worker.domain.cash_in import expected_payments, period_of, week_starts
from worker.domain.dso import SalesPeriod, count_back, month_periods
from worker.domain.lateness import Period, is_chronic, periods_before, trend
from worker.domain.payment_plan import Instalment, PaymentPlan


def _with_sales(periods, *sales):
    return [SalesPeriod(p.start, p.end, Decimal(s)) for p, s in zip(periods, sales, strict=True)]


def test_count_back_worked_example():
    periods = _with_sales(month_periods(date(2027, 3, 15), 3), "10000", "12000", "6200")
    assert [(p.start, p.end, p.days) for p in periods] == [
        (date(2027, 3, 1), date(2027, 3, 15), 15), (date(2027, 2, 1), date(2027, 2, 28), 28),
        (date(2027, 1, 1), date(2027, 1, 31), 31)]
    result = count_back(Decimal("25000"), periods)
    assert result.days == Decimal("58.0") and not result.exhausted
    assert [d for _, d in result.used] == [Decimal("15.0"), Decimal("28.0"), Decimal("15.0")]


def test_count_back_differs_from_the_average_method():
    # a big current month: receivables / sales x days would say 60000 / 100000 x 90 = 54 days; the count-back
    # sees that the receivables are only part of this month's sales: 31 x 60000 / 90000
    periods = _with_sales(month_periods(date(2027, 3, 31), 3), "90000", "5000", "5000")
    assert count_back(Decimal("60000"), periods).days == Decimal("20.7")


def test_count_back_edges():
    periods = _with_sales(month_periods(date(2027, 3, 31), 2), "0", "1000")
    assert count_back(Decimal(0), periods).days == Decimal(0)
    # a month without sales counts in full; more owed than ever sold: at least every day counted
    assert count_back(Decimal("500"), periods).days == Decimal("45.0")  # 31 + 28 x 500 / 1000
    beyond = count_back(Decimal("5000"), periods)
    assert (beyond.days, beyond.exhausted) == (Decimal("59.0"), True)
    assert month_periods(date(2024, 3, 31), 2)[1].days == 29  # a leap February


def test_expected_payments_follow_the_latest_agreement():
    due = date(2027, 3, 1)
    assert expected_payments(Decimal("100"), due)[0].source == "due_date"
    assert expected_payments(Decimal(0), due) == []
    promised = expected_payments(Decimal("100"), due, promised=date(2027, 3, 9))
    assert [(e.on, e.amount, e.source) for e in promised] == [(date(2027, 3, 9), Decimal("100"), "promise")]
    plan = PaymentPlan((Instalment(date(2027, 3, 10), Decimal("40")), Instalment(date(2027, 4, 10), Decimal("60"))),
                       paid=Decimal("50"))
    # 50 paid covers the first instalment and 10 of the second
    assert [(e.on, e.amount) for e in expected_payments(Decimal("50"), due, plan=plan)] == [
        (date(2027, 4, 10), Decimal("50"))]


def test_weeks_and_periods():
    starts = week_starts(date(2027, 3, 17), 2)  # a Wednesday
    assert starts == [date(2027, 3, 15), date(2027, 3, 22)]
    assert period_of(date(2027, 3, 16), date(2027, 3, 17), starts) == "overdue"
    assert period_of(date(2027, 3, 21), date(2027, 3, 17), starts) == "2027-03-15"
    assert period_of(date(2027, 3, 28), date(2027, 3, 17), starts) == "2027-03-22"
    assert period_of(date(2027, 3, 29), date(2027, 3, 17), starts) == "later"


def test_trend_and_chronic():
    bounds = periods_before(date(2027, 3, 31), 3, 30)
    assert bounds[-1] == (date(2027, 3, 2), date(2027, 3, 31)) and bounds[0][0] == date(2027, 1, 1)
    worse = [Period(*bounds[0], 2, 1, 4), Period(*bounds[1], 2, 2, 10), Period(*bounds[2], 2, 2, 20)]
    assert trend(worse) == "worse"  # 10 days against (2 + 5) / 2
    assert trend(list(reversed(worse))) == "better"
    assert trend([Period(*bounds[0]), Period(*bounds[1], 1, 1, 3), Period(*bounds[2], 1, 1, 5)]) == "steady"
    assert trend([Period(*bounds[0]), Period(*bounds[1]), Period(*bounds[2], 1, 1, 5)]) == "new"
    assert is_chronic(worse, 3, Decimal(5)) and not is_chronic(worse, 6, Decimal(5))
    assert not is_chronic(worse, 3, Decimal(6))  # 34 days over 6 invoices
    assert not is_chronic([Period(*bounds[0])], 1, Decimal(0))
