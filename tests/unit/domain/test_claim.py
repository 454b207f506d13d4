"""What a letter may claim, per country and regime, from the law tables (worker/domain/law/claim.py)."""

from datetime import date
from decimal import Decimal

from worker.domain.law.claim import DebtorLaw, Principal, claim_for

DUE = date(2027, 2, 1)
ONE = [Principal(Decimal("1000.00"), Decimal("0"), DUE)]


def test_belgian_consumer_owes_nothing_before_the_free_reminders_term_then_capped_damages() -> None:
    law = DebtorLaw("BE", consumer=True)
    before = claim_for(law, ONE, date(2027, 2, 20), claims_now=True, term_last_day=date(2027, 3, 1))
    assert (before.costs, before.costs_due, before.interest) == (Decimal("90.00"), False, Decimal("0.00"))
    after = claim_for(law, ONE, date(2027, 3, 31), claims_now=True, term_last_day=date(2027, 3, 1))
    # EUR 65 + 5% of the part above EUR 500 (Book XIX CEL); legal rate from the end of the term only
    assert after.costs_due and after.costs_kind == "be_damages" and after.interest_kind == "be_legal"
    assert after.interest == Decimal("3.58")  # 4.5% a year on 1000 for 29 days (2 March up to 31 March)
    assert after.total == Decimal("1093.58")


def test_dutch_business_pays_commercial_interest_and_40_euros_per_invoice_from_the_day_after_due() -> None:
    two = ONE + [Principal(Decimal("500.00"), Decimal("0"), DUE)]
    found = claim_for(DebtorLaw("NL"), two, date(2027, 3, 3), claims_now=True)
    assert (found.interest_kind, found.costs_kind, found.costs) == ("nl_commercial", "compensation", Decimal("80"))
    assert found.costs_due and found.interest_rate == Decimal("10.40") and found.interest > 0  # the 2026-07 row
    wik = claim_for(DebtorLaw("NL", b2b_costs="wik"), two, date(2027, 3, 3), claims_now=True)
    assert (wik.costs_kind, wik.costs) == ("wik", Decimal("225.00"))  # 15% of 1,500


def test_dutch_consumer_costs_wait_for_the_term_of_the_14_day_letter() -> None:
    law = DebtorLaw("NL", consumer=True)
    announced = claim_for(law, ONE, date(2027, 2, 20), claims_now=False)
    assert (announced.costs, announced.costs_due, announced.costs_from) == (Decimal("150.00"), False, None)
    claimed = claim_for(law, ONE, date(2027, 3, 10), claims_now=True, term_last_day=date(2027, 3, 8))
    assert claimed.costs_due and claimed.interest_kind == "nl_consumer"


def test_a_business_that_charges_nothing_claims_nothing() -> None:
    found = claim_for(DebtorLaw("NL", consumer=True, charges=False), ONE, date(2027, 6, 1), claims_now=True)
    assert (found.costs, found.interest, found.costs_due, found.interest_kind) == (
        Decimal("0.00"), Decimal("0.00"), False, None)
    assert found.total == Decimal("1000.00")


def test_part_payments_go_to_costs_then_interest_then_principal() -> None:
    paid = [Principal(Decimal("1000.00"), Decimal("100.00"), DUE)]
    found = claim_for(DebtorLaw("NL"), paid, date(2027, 3, 3), claims_now=True)
    received = found.received
    assert (received.to_costs, received.to_interest) == (Decimal("40.00"), found.interest)
    assert received.to_principal == Decimal("100.00") - Decimal("40.00") - found.interest
    assert found.total == Decimal("1000.00") - received.to_principal
