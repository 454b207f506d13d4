"""The language of an invoice text and of a debtor's reply: decided by many words with a margin, never by one."""

from __future__ import annotations

import pytest

from parsers.invoice.language import detect_language
from parsers.reply import reply_language


@pytest.mark.parametrize(("text", "language"), [
    ("Factuur 2025-01. Wij verzoeken u het bedrag binnen 14 dagen te betalen.", "nl"),
    ("Invoice 2025-01. Please pay the amount due within 14 days. Thank you for your order.", "en"),
    ("Rechnung 2025-01. Bitte überweisen Sie den Betrag innerhalb von 14 Tagen.", "de"),
    ("Facture 2025-01. Merci de régler le montant dans les 14 jours par virement.", "fr"),
])
def test_invoice_language_by_its_words(text, language):
    assert detect_language(text) == language


def test_one_shared_word_decides_nothing():
    # "Total", "date", "datum", "netto", "service" are spelled alike in several languages.
    assert detect_language("Total 12,00 Date 01/02/2025 Datum netto service") is None


def test_an_english_label_in_a_french_invoice_does_not_make_it_english():
    text = ("FACTURE Numéro de facture 42 Date de facture 07/03/2025 Invoice Total TTC 120,00 € "
            "Merci de régler le montant par virement avant la date d'échéance. Pénalités de retard : taux légal.")
    assert detect_language(text) == "fr"


def test_a_narrow_lead_is_settled_only_by_the_parties_countries():
    text = "Facture de la commande. Invoice for your order."  # fr 3, en 3 -> tie
    assert detect_language(text) is None
    narrow = "Facture de la commande et du paiement. Invoice for your order, payment."
    assert detect_language(narrow) is None
    assert detect_language(narrow, ("BE",)) == "fr"
    assert detect_language(narrow, ("GB",)) is None


@pytest.mark.parametrize(("text", "language"), [
    ("Thanks, we will pay next week.", "en"),
    ("We hebben het bedrag gisteren betaald.", "nl"),
    ("Vielen Dank, wir überweisen heute.", "de"),
    ("Merci, le paiement a été fait hier.", "fr"),
])
def test_reply_language(text, language):
    assert reply_language(text) == language


def test_reply_language_ignores_the_quoted_reminder():
    reply = ("Thanks, we will pay next week.\n\nOn 3 March 2025 Studio Noord wrote:\n"
             "> Geachte heer, mevrouw, wij hebben nog geen betaling ontvangen van factuur 2025-01.\n"
             "> Wij verzoeken u het bedrag binnen 14 dagen te voldoen. Met vriendelijke groet,")
    assert reply_language(reply) == "en"


def test_reply_too_short_to_tell():
    assert reply_language("OK") is None and reply_language("Paid.") is None
