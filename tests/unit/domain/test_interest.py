"""Statutory interest: simple within a year, yearly compounding, split at rate changes; actual/365."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worker.domain.law.commands import interest_command
from worker.domain.law.interest import statutory_interest


def test_one_year_simple_consumer_interest():
    """Consumer rate 2% from 2020-01-01 (Rijksoverheid table): EUR 1,000 from 2021-01-01 to 2022-01-01,
    365 days, is 1,000 x 2% = EUR 20.00 (no anniversary inside, so no compounding)."""
    result = statutory_interest(Decimal("1000"), date(2021, 1, 1), date(2022, 1, 1), consumer=True)
    assert result.amount == Decimal("20.00") and len(result.periods) == 1


def test_yearly_compounding_across_rate_changes():
    """Computed by hand from art. 6:119/6:119a BW and the Rijksoverheid rate table, the method wrente.nl
    describes ('na een jaar wordt de rente opgeteld bij de hoofdsom'); no public worked example with these
    exact rates was found, so each figure is derived below.

    EUR 10,000 commercial, default from 2023-01-01 to 2025-01-01:
      2023-01-01..2023-07-01 181 d x 10.5%  on 10,000.00 = 520.68
      2023-07-01..2024-01-01 184 d x 12%    on 10,000.00 = 604.93
      anniversary 2024-01-01: base 10,000 + 1,125.61 = 11,125.61
      2024-01-01..2024-07-01 182 d x 12.5%  on 11,125.61 = 693.45
      2024-07-01..2025-01-01 184 d x 12.25% on 11,125.61 = 687.04
      total 2,506.10
    """
    result = statutory_interest(Decimal("10000"), date(2023, 1, 1), date(2025, 1, 1), consumer=False)
    assert [(p.start, p.days, p.rate, p.base, p.amount) for p in result.periods] == [
        (date(2023, 1, 1), 181, Decimal("10.5"), Decimal("10000.00"), Decimal("520.68")),
        (date(2023, 7, 1), 184, Decimal("12"), Decimal("10000.00"), Decimal("604.93")),
        (date(2024, 1, 1), 182, Decimal("12.5"), Decimal("11125.61"), Decimal("693.45")),
        (date(2024, 7, 1), 184, Decimal("12.25"), Decimal("11125.61"), Decimal("687.04")),
    ]
    assert result.amount == Decimal("2506.10")


def test_anniversary_in_the_middle_of_a_rate_period():
    """Computed by hand: EUR 1,000 consumer from 2023-03-15 to 2024-06-15.
      2023-03-15..2023-07-01 108 d x 4% = 11.84
      2023-07-01..2024-01-01 184 d x 6% = 30.25
      2024-01-01..2024-03-15  74 d x 7% = 14.19     (year one: 56.28)
      2024-03-15..2024-06-15  92 d x 7% on 1,056.28 = 18.64
      total 74.92
    """
    result = statutory_interest(Decimal("1000"), date(2023, 3, 15), date(2024, 6, 15), consumer=True)
    assert [p.amount for p in result.periods] == [Decimal(x) for x in ("11.84", "30.25", "14.19", "18.64")]
    assert result.periods[-1].base == Decimal("1056.28")
    assert result.amount == Decimal("74.92")


def test_unknown_consumer_rate_is_carried_forward_and_flagged():
    result = statutory_interest(Decimal("1000"), date(2026, 6, 1), date(2026, 8, 1), consumer=True)
    assert [(p.rate, p.verify) for p in result.periods] == [(Decimal("4"), True), (Decimal("4"), True)]


def test_no_rate_before_the_table():
    with pytest.raises(ValueError, match="no statutory interest rate"):
        statutory_interest(Decimal("1"), date(2019, 12, 31), date(2020, 2, 1), consumer=True)


def test_command_json():
    out = interest_command("10000", date(2023, 1, 1), date(2025, 1, 1), consumer=False)
    assert out["interest"] == "2506.10" and out["total"] == "12506.10"
    assert out["periods"][2] == {"from": "2024-01-01", "to": "2024-07-01", "days": 182, "rate": "12.5",
                                 "base": "11125.61", "interest": "693.45", "verify": False}
    assert out["day_count"] == "actual/365" and out["verify"] is False


days = st.integers(min_value=0, max_value=6 * 365)


@given(principal=st.decimals(min_value=0, max_value=10**7, places=2), a=days, b=days,
       consumer=st.booleans())
def test_interest_never_negative_and_grows_with_time(principal, a, b, consumer):
    start = date(2020, 1, 1)
    short, long_ = sorted((a, b))
    first = statutory_interest(principal, start, date.fromordinal(start.toordinal() + short), consumer)
    second = statutory_interest(principal, start, date.fromordinal(start.toordinal() + long_), consumer)
    assert Decimal("0") <= first.amount <= second.amount
    assert sum(p.days for p in second.periods) == long_
