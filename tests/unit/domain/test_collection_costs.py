"""WIK collection costs: worked examples from public sources, the staffel boundaries, minimum and maximum."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worker.domain.law.collection_costs import collection_costs
from worker.domain.law.commands import collection_costs_command

TODAY = date(2026, 3, 2)


def costs(*principals: str, consumer: bool = False) -> Decimal:
    return collection_costs([Decimal(p) for p in principals], consumer=consumer, on=TODAY).amount


def test_nova_incasso_worked_example_4000():
    """nova-incasso.nl/kennisbank/wet-incassokosten-wik: principal EUR 4,000 gives
    2,500 x 15% = 375 plus 1,500 x 10% = 150, collection costs EUR 525."""
    result = collection_costs([Decimal("4000")], consumer=True, on=TODAY)
    assert result.amount == Decimal("525.00")
    assert [(t.base, t.amount) for t in result.tiers] == [
        (Decimal("2500.00"), Decimal("375.00")), (Decimal("1500.00"), Decimal("150.00"))]


@pytest.mark.parametrize(
    ("principal", "expected"),
    [
        # bosveld.nl/en/wik-calculator: cumulative costs at the top of each tier
        ("2500", "375.00"),
        ("5000", "625.00"),
        ("10000", "875.00"),
        ("200000", "2775.00"),
        ("1000000", "6775.00"),  # 0.5% of the next 800,000 reaches the maximum exactly
        # one cent over each boundary enters the next tier (rounded to cents per tier)
        ("2500.01", "375.00"),
        ("2510", "376.00"),
        ("5010", "625.50"),
        ("10100", "876.00"),
        ("200200", "2776.00"),
    ],
)
def test_staffel_boundaries(principal, expected):
    """Besluit vergoeding voor buitengerechtelijke incassokosten art. 2; cumulative figures as published on
    bosveld.nl/en/wik-calculator (375 / 625 / 875 / 2,775 / 6,775)."""
    assert costs(principal) == Decimal(expected)


@pytest.mark.parametrize(("principal", "expected"), [("1", "40.00"), ("100", "40.00"), ("266.66", "40.00"),
                                                     ("266.67", "40.00"), ("267", "40.05"), ("300", "45.00")])
def test_minimum_of_40(principal, expected):
    """Besluit art. 2 lid 1: at least EUR 40. 15% reaches 40 at a principal of EUR 266.67."""
    assert costs(principal) == Decimal(expected)


@pytest.mark.parametrize("principal", ["1000000", "1000000.01", "2500000", "99999999"])
def test_maximum_of_6775(principal):
    """Besluit art. 2 lid 1: at most EUR 6,775 (reached at a principal of EUR 1,000,000)."""
    assert costs(principal) == Decimal("6775.00")


def test_claims_of_one_debtor_are_added_before_the_staffel():
    """Art. 6:96 lid 7 BW: 1,000 + 2,000 is charged as 3,000 (375 + 50 = 425), not as 150 + 300 = 450."""
    assert costs("1000", "2000") == Decimal("425.00")
    assert costs("100", "100") == Decimal("40.00")  # and the minimum applies once


def test_before_the_wik_there_is_no_staffel():
    with pytest.raises(ValueError, match="2012-07-01"):
        collection_costs([Decimal("100")], consumer=False, on=date(2012, 6, 30))


def test_command_json():
    out = collection_costs_command("4.000,00", consumer=True, today=TODAY)
    assert out["collection_costs"] == "525.00"
    assert out["breakdown"] == [
        {"from": "0.00", "to": "2500.00", "rate": "15", "base": "2500.00", "amount": "375.00"},
        {"from": "2500.00", "to": "5000.00", "rate": "10", "base": "1500.00", "amount": "150.00"},
    ]
    assert "14-day letter" in out["notes"][0] and out["consumer"] is True
    assert collection_costs_command("100", consumer=False, today=TODAY)["minimum_applied"] is True


def test_command_refuses_nonsense():
    with pytest.raises(ValueError, match="not an amount"):
        collection_costs_command("lots", consumer=False, today=TODAY)


amounts = st.decimals(min_value=0, max_value=3_000_000, places=2)


@given(a=amounts, b=amounts)
def test_costs_grow_with_the_principal_and_stay_within_bounds(a, b):
    low, high = sorted((a, b))
    assert Decimal("40") <= costs(str(low)) <= costs(str(high)) <= Decimal("6775")


@given(parts=st.lists(st.decimals(min_value=0, max_value=50_000, places=2), min_size=1, max_size=6))
def test_adding_claims_never_costs_more_than_charging_them_apart(parts):
    together = costs(*map(str, parts))
    # up to half a cent per claim can round the other way (655.34 + 655.36: 98.30 + 98.30 vs 196.61)
    assert together <= sum(costs(str(p)) for p in parts) + Decimal("0.01") * len(parts)
