"""The matching rules in their order, and that nothing ambiguous is ever guessed."""

from datetime import date
from decimal import Decimal as D

import pytest

from worker.domain.bank_matching import Allocation, Candidate, Credit, Match, Matcher, Review, name_key, number_key


def inv(id_, number, debtor, open_, refs=(), due=None, currency="EUR"):
    return Candidate(id_, number, debtor, D(open_), currency, frozenset(refs), due)


INVOICES = [inv(1, "F-2027-001", 10, "363.00", {"RF18539007547034"}), inv(2, "F-2027-002", 10, "250.00"),
            inv(3, "2027003", 20, "99.95"), inv(4, "F-2027-004", 20, "99.95"), inv(5, "F-2027-005", 30, "0.00"),
            inv(6, "F-2027-006", 30, "40.00", due=date(2027, 1, 1)), inv(7, "F-2027-007", 30, "60.00",
                                                                          due=date(2026, 12, 1))]


def matcher(**kw):
    return Matcher(INVOICES, **kw)


def test_reference_first_even_when_the_text_names_another_invoice():
    m = matcher().match(Credit(D("363.00"), "EUR", reference="RF18539007547034", remittance="F-2027-002"))
    assert m == Match("reference", (Allocation(1, D("363.00")),))


@pytest.mark.parametrize("text", ["F-2027-002", "Factuur nr. F 2027 002", "factuurnummer: F2027-002 dank",
                                  "INV F-2027-002/deel"])
def test_invoice_number_tolerant_of_spaces_dashes_and_leading_text(text):
    m = matcher().match(Credit(D("100.00"), "EUR", remittance=text))
    assert m == Match("invoice_number", (Allocation(2, D("100.00")),))


def test_number_with_a_text_prefix_stuck_to_it():
    assert matcher().match(Credit(D("10.00"), "EUR", remittance="Nr2027003")).allocations[0].invoice_id == 3


def test_overpayment_is_booked_with_the_surplus_marked():
    m = matcher().match(Credit(D("300.00"), "EUR", remittance="F-2027-002"))
    assert m == Match("invoice_number", (Allocation(2, D("250.00")),), surplus=D("50.00"))


def test_a_paid_invoice_named_again_goes_to_review_not_to_another_invoice():
    m = matcher(payer_names={"x": {30}}).match(Credit(D("40.00"), "EUR", remittance="F-2027-005", payer_name="x"))
    assert isinstance(m, Review) and "already paid" in m.reason and m.candidates == (5,)


def test_several_invoices_listed_are_paid_oldest_due_first():
    m = matcher().match(Credit(D("80.00"), "EUR", remittance="F-2027-006 en F-2027-007"))
    assert m == Match("invoice_number", (Allocation(7, D("60.00")), Allocation(6, D("20.00"))))


def test_numbers_of_two_customers_go_to_review_with_both():
    m = matcher().match(Credit(D("349.95"), "EUR", remittance="F-2027-002 F-2027-004"))
    assert isinstance(m, Review) and set(m.candidates) == {2, 4}


def test_exact_amount_from_a_known_iban():
    m = matcher(payer_ibans={"NL02RABO0123456789": 10}).match(
        Credit(D("250.00"), "EUR", payer_iban="NL02RABO0123456789"))
    assert m == Match("amount_and_payer", (Allocation(2, D("250.00")),))


def test_same_amount_twice_for_one_payer_is_review():
    m = matcher(payer_names={"klant": {20}}).match(Credit(D("99.95"), "EUR", payer_name="Klant B.V."))
    assert isinstance(m, Review) and m.candidates == (3, 4)


def test_amount_without_a_known_payer_is_never_guessed():
    m = matcher().match(Credit(D("250.00"), "EUR", payer_name="Onbekend"))
    assert isinstance(m, Review) and m.candidates == (2,)


def test_a_name_shared_by_two_customers_names_neither():
    m = matcher(payer_names={"klant": {10, 20}}).match(Credit(D("250.00"), "EUR", payer_name="Klant"))
    assert isinstance(m, Review)


def test_payer_total_pays_all_open_invoices_of_the_payer():
    m = matcher(payer_ibans={"NL1": 30}).match(Credit(D("100.00"), "EUR", payer_iban="NL1"))
    assert m == Match("payer_total", (Allocation(6, D("40.00")), Allocation(7, D("60.00"))))


def test_settle_and_learn_carry_over_to_the_next_line():
    m = matcher()
    first = m.match(Credit(D("363.00"), "EUR", reference="RF18539007547034", payer_iban="NL9"))
    m.settle(first.allocations)
    m.learn("NL9", "Klant", 10)
    again = m.match(Credit(D("363.00"), "EUR", reference="RF18539007547034"))
    assert isinstance(again, Review) and "already paid" in again.reason
    assert m.match(Credit(D("250.00"), "EUR", payer_iban="NL9")).allocations == (Allocation(2, D("250.00")),)


def test_short_numbers_and_other_currencies():
    short = Matcher([inv(1, "7", 10, "10.00")])
    assert isinstance(short.match(Credit(D("10.00"), "EUR", remittance="order 7")), Review)
    usd = matcher().match(Credit(D("250.00"), "USD", remittance="F-2027-002"))
    assert isinstance(usd, Review) and "USD" in usd.reason


def test_keys():
    assert number_key("f-2027 002") == "F2027002"
    assert name_key("Klant B.V.") == "klant" and name_key("") is None


def test_several_of_our_rf_references_in_the_text_pay_a_grouped_letter():
    m = matcher().match(Credit(D("100.00"), "EUR", remittance="RF54F2027006 RF27F2027007"))
    assert m == Match("invoice_number", (Allocation(7, D("60.00")), Allocation(6, D("40.00"))))


def test_a_number_of_another_customer_than_the_known_payer_is_review():
    m = matcher(payer_ibans={"NL1": 20}).match(Credit(D("100.00"), "EUR", remittance="F-2027-002", payer_iban="NL1"))
    assert isinstance(m, Review) and "another customer" in m.reason and m.candidates == (2,)


def test_an_rf_reference_paid_by_another_known_payer_is_still_booked():
    m = matcher(payer_ibans={"NL1": 20}).match(Credit(D("363.00"), "EUR", reference="RF18539007547034",
                                                      payer_iban="NL1"))
    assert m == Match("reference", (Allocation(1, D("363.00")),))
