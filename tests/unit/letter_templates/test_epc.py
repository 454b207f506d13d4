"""The SEPA EPC QR payload (EPC069-12) and the link pattern that complete a letter's payment details."""

from __future__ import annotations

from decimal import Decimal

import pytest

from letter_templates.epc import epc_payload
from letter_templates.payment import complete_payment, expand_link, qr_payload
from letter_templates.vocabulary import sample_context


def test_rf_reference_goes_in_the_structured_field_and_bic_is_kept() -> None:
    payload = epc_payload(name="Van Dijk B.V.", iban="NL91 ABNA 0417 1643 00", amount=Decimal("2084.56"),
                          reference="RF18 5390 0754 7034", bic="ABNANL2A")
    assert payload == ("BCD\n002\n1\nSCT\nABNANL2A\nVan Dijk B.V.\nNL91ABNA0417164300\nEUR2084.56\n\n"
                       "RF18539007547034")


def test_other_references_go_in_the_text_field_and_bic_is_optional() -> None:
    payload = epc_payload(name="Van Dijk", iban="NL91ABNA0417164300", amount=Decimal("12.5"),
                          reference="2026-0142 2026-0157")
    assert payload.split("\n") == ["BCD", "002", "1", "SCT", "", "Van Dijk", "NL91ABNA0417164300", "EUR12.50",
                                   "", "", "2026-0142 2026-0157"]


@pytest.mark.parametrize("kwargs", [
    {"iban": "NL00ABNA0417164300"},  # bad check digits
    {"iban": ""},
    {"currency": "USD"},
    {"amount": Decimal("0")},
    {"amount": Decimal("1000000000")},
    {"name": ""},
])
def test_no_code_when_the_standard_cannot_be_met(kwargs: dict) -> None:
    base = {"name": "Van Dijk", "iban": "NL91ABNA0417164300", "amount": Decimal("10"), "reference": "x"}
    assert epc_payload(**{**base, **kwargs}) is None


def test_long_names_and_texts_are_cut_to_the_standard_lengths() -> None:
    payload = epc_payload(name="N" * 100, iban="NL91ABNA0417164300", amount=Decimal("1"), reference="t" * 200)
    lines = payload.split("\n")
    assert len(lines[5]) == 70 and len(lines[10]) == 140 and len(payload.encode()) <= 331


def test_complete_payment_defaults_the_amount_and_expands_the_link_pattern() -> None:
    context = sample_context()
    context["payment"] = {"iban": "NL91ABNA0417164300", "reference": "2026-0142 A&B",
                          "link_pattern": "https://pay.example/{invoice}?ref={reference}&eur={amount}"}
    done = complete_payment(context)
    assert done["payment"]["amount"] == context["total_open"]
    assert done["payment"]["link"] == "https://pay.example/2026-0142?ref=2026-0142%20A%26B&eur=2084.56"
    assert done["payment"]["qr"] is None and done["payment"]["bic"] is None
    assert qr_payload(done).endswith("EUR2084.56\n\n\n2026-0142 A&B")


@pytest.mark.parametrize("pattern", ["https://x/{reference.__class__}", "https://x/{0}", "https://x/{amount!r}",
                                     "https://x/{secret}", "https://x/{amount:>10}"])
def test_link_patterns_allow_only_plain_known_fields(pattern: str) -> None:
    with pytest.raises(ValueError, match="not allowed"):
        expand_link(pattern, {"reference": "r"})
