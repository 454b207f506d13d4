"""Part payments (costs, interest, principal) and the Belgian consumer damages cap."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worker.domain.law.allocation import allocate_part_payment
from worker.domain.law.be_damages import belgian_consumer_damages

D = Decimal


def test_costs_then_interest_then_principal():
    """Art. 6:44 lid 1 BW: a payment goes to costs, then interest, then the principal."""
    a = allocate_part_payment(D("500"), costs=D("100"), interest=D("50"), principal=D("1000"))
    assert (a.to_costs, a.to_interest, a.to_principal) == (D("100.00"), D("50.00"), D("350.00"))
    assert (a.costs_left, a.interest_left, a.principal_left, a.surplus) == (0, 0, D("650.00"), 0)


def test_small_payment_only_reduces_costs():
    a = allocate_part_payment(D("30"), costs=D("40"), interest=D("5"), principal=D("200"))
    assert (a.to_costs, a.costs_left, a.open_total) == (D("30.00"), D("10.00"), D("215.00"))


def test_overpayment_is_surplus():
    assert allocate_part_payment(D("300"), D("40"), D("5"), D("200")).surplus == D("55.00")


money = st.decimals(min_value=0, max_value=10**6, places=2)


@given(amount=money, costs=money, interest=money, principal=money)
def test_allocation_conserves_money_and_keeps_the_order(amount, costs, interest, principal):
    a = allocate_part_payment(amount, costs, interest, principal)
    assert a.to_costs + a.to_interest + a.to_principal + a.surplus == amount
    assert a.open_total == costs + interest + principal - (amount - a.surplus)
    if a.to_interest > 0:
        assert a.costs_left == 0
    if a.to_principal > 0:
        assert a.interest_left == 0


@pytest.mark.parametrize(
    ("due", "cap"),
    [
        ("100", "20.00"), ("150", "20.00"),  # up to 150: EUR 20
        ("500", "65.00"),   # Teamleader (Sept. 2023): EUR 500 overdue -> 30 + 10% of 350 = 65
        ("1000", "90.00"),  # Teamleader: EUR 1,000 overdue -> 65 + 5% of 500 = 90
        ("39200", "2000.00"), ("100000", "2000.00"),  # capped at EUR 2,000
    ],
)
def test_belgian_consumer_damages_cap(due, cap):
    """Art. XIX.4 CEL (law of 4 May 2023), examples from support.focus.teamleader.eu
    'New legislation on late fees'."""
    assert belgian_consumer_damages(D(due)) == D(cap)
