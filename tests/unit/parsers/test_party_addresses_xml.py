"""Postal address, country and language from UBL and CII invoices."""

from __future__ import annotations

from parsers.invoice import parse_invoice_document
from tests.factories.party_invoices import BUYERS, SELLERS, party_cii, party_invoice_pdf, party_ubl


def test_ubl_belgian_buyer_of_a_dutch_seller_in_french():
    invoice = parse_invoice_document(
        party_ubl(SELLERS["NL"], BUYERS["BE"], "Merci de régler cette facture dans les 30 jours par virement."),
        "f.xml")
    assert invoice.language == "fr"
    assert (invoice.buyer.country, invoice.seller.country) == ("BE", "NL")
    assert invoice.buyer.address == "Rue de la Loi 16\n1040 Etterbeek\nBelgique"
    assert invoice.seller.address == "Keizersgracht 100\n1015 AA Amsterdam\nPays-Bas"


def test_ubl_domestic_dutch_invoice_has_no_country_line():
    invoice = parse_invoice_document(
        party_ubl(SELLERS["NL"], BUYERS["NL"], "Wij verzoeken u het bedrag binnen 30 dagen te betalen."), "f.xml")
    assert invoice.language == "nl"
    assert invoice.buyer.address == "Stationsplein 1\n3511 ED Utrecht" and invoice.buyer.country == "NL"


def test_ubl_british_buyer_town_above_postcode():
    invoice = parse_invoice_document(
        party_ubl(SELLERS["GB"], BUYERS["GB"], "Please pay within 30 days. Thank you for your order."), "f.xml")
    assert invoice.language == "en"
    assert invoice.buyer.address == "10 Baker Street\nLondon\nNW1 6XE" and invoice.buyer.country == "GB"


def test_cii_german_buyer_with_two_street_lines():
    invoice = parse_invoice_document(
        party_cii(SELLERS["DE"], BUYERS["DE"], "Bitte überweisen Sie den Betrag innerhalb von 30 Tagen."), "f.xml")
    assert invoice.language == "de"
    assert invoice.buyer.address == "Hauptstraße 5\nHinterhaus\n10115 Berlin" and invoice.buyer.country == "DE"
    assert invoice.seller.address == "Lindenstraße 8\n80331 München" and invoice.seller.country == "DE"


def test_cii_language_unknown_when_the_text_does_not_say():
    # A Belgian buyer may read French or Dutch: the country alone never decides the language.
    invoice = parse_invoice_document(party_cii(SELLERS["BE"], BUYERS["BE"], "Ref 2025-0042"), "f.xml")
    assert invoice.language is None
    assert invoice.buyer.country == "BE"
    assert invoice.to_json()["language"] is None


def test_ubl_language_from_its_embedded_pdf_when_the_notes_do_not_say():
    seller, buyer = SELLERS["BE"], BUYERS["BE-nl"]
    pdf = party_invoice_pdf(seller, buyer, "nl")
    invoice = parse_invoice_document(party_ubl(seller, buyer, "Ref 2025-0042", pdf=pdf), "f.xml")
    assert invoice.language == "nl"
    assert invoice.buyer.address == "Meir 24\n2000 Antwerpen" and invoice.buyer.country == "BE"
    without = parse_invoice_document(party_ubl(seller, buyer, "Ref 2025-0042"), "f.xml")
    assert without.language is None
