"""Each Dutch invoice requirement and identifier check produces its own clerk-readable problem."""

from datetime import date
from decimal import Decimal

import pytest

from parsers.invoice.model import ParsedInvoice, Party
from parsers.invoice.problems import find_problems

COMPLETE = ParsedInvoice(
    invoice_number="F1", issue_date=date(2025, 1, 1), due_date=date(2025, 1, 31), currency="EUR",
    amount_due=Decimal("121.00"), total_excl_vat=Decimal("100.00"), vat_total=Decimal("21.00"),
    seller=Party(name="Leverancier B.V.", vat_id="NL000099998B57", kvk="12345678", iban="NL91ABNA0417164300"),
    buyer=Party(name="Klant B.V."),
)


def codes(invoice):
    return [p.code for p in find_problems(invoice)]


def test_complete_invoice_has_no_problems():
    assert codes(COMPLETE) == []


@pytest.mark.parametrize(("changes", "code"), [
    ({"invoice_number": None}, "missing_invoice_number"), ({"issue_date": None}, "missing_issue_date"),
    ({"amount_due": None}, "missing_amount"), ({"currency": None}, "missing_currency"),
    ({"due_date": None}, "missing_due_date"), ({"buyer": Party()}, "missing_buyer_name"),
    ({"total_excl_vat": None, "vat_total": None}, "missing_vat_breakdown"),
])
def test_missing_fields(changes, code):
    import dataclasses
    assert code in codes(dataclasses.replace(COMPLETE, **changes))


@pytest.mark.parametrize(("seller_changes", "code"), [
    ({"name": None}, "missing_seller_name"), ({"vat_id": None}, "missing_vat_id"),
    ({"vat_id": "NL123456789B02"}, "invalid_vat_id"), ({"kvk": None}, "missing_kvk"),
    ({"kvk": "1234"}, "invalid_kvk"), ({"iban": "NL91ABNA0417164301"}, "invalid_iban"),
    ({"iban": None}, "missing_iban"),
])
def test_seller_checks(seller_changes, code):
    import dataclasses
    seller = dataclasses.replace(COMPLETE.seller, **seller_changes)
    problems = find_problems(dataclasses.replace(COMPLETE, seller=seller))
    assert code in [p.code for p in problems]
    assert all(p.message.endswith(".") for p in problems)
