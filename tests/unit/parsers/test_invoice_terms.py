"""Payment terms in four languages; cash discounts are not terms."""

import pytest

from parsers.invoice.terms import payment_terms_days


@pytest.mark.parametrize(("text", "days"), [
    ("Betaling binnen 30 dagen na factuurdatum", 30), ("Payment terms: net 14", 14), ("14 Tage netto", 14),
    ("Paiement à 30 jours", 30), ("Zahlbar sofort rein netto", 0), ("Paiement immédiat", 0),
    ("Zahlbar innerhalb 30 Tagen netto bis 04.04.2013, 3% Skonto innerhalb 10 Tagen", 30),
    ("2 % discount if paid within 2 days", None), ("Netto 87,39 €", None), ("Wij danken u voor uw order", None),
])
def test_terms(text, days):
    assert payment_terms_days(text) == days
