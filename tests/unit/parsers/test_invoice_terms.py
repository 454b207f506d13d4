"""Payment terms in four languages; cash discounts are not terms."""

import pytest

from parsers.invoice.terms import payment_terms_days


@pytest.mark.parametrize(("text", "days"), [
    ("Betaling binnen 30 dagen na factuurdatum", 30), ("Payment terms: net 14", 14), ("14 Tage netto", 14),
    ("Paiement à 30 jours", 30), ("Zahlbar sofort rein netto", 0), ("Paiement immédiat", 0),
    ("Zahlbar innerhalb 30 Tagen netto bis 04.04.2013, 3% Skonto innerhalb 10 Tagen", 30),
    ("2 % discount if paid within 2 days", None), ("Netto 87,39 €", None), ("Wij danken u voor uw order", None),
    # A complaint, return or warranty period is not the payment term.
    ("Klachten binnen 8 dagen na ontvangst schriftelijk melden. Betaling binnen 30 dagen.", 30),
    ("Complaints must be made within 7 days of delivery. Payment within 14 days.", 14),
    ("Réclamation dans les 8 jours. Paiement à 45 jours.", 45),
    ("Mängelrügen innerhalb von 5 Tagen. Zahlbar innerhalb 21 Tagen netto.", 21),
    ("Reclamaties dienen binnen 8 dagen te worden gemeld.", None),
    # Other EU languages.
    ("Pagamento a 30 giorni data fattura", 30), ("Pago a 60 días fecha factura", 60), ("Płatne w ciągu 14 dni", 14),
    ("Betalningsvillkor: 30 dagar netto", 30), ("Betalning inom 10 dagar", 10),
])
def test_terms(text, days):
    assert payment_terms_days(text) == days
