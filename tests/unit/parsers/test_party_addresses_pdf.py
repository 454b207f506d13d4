"""Buyer and seller postal address, country and invoice language read from generated PDF invoices."""

from __future__ import annotations

import pytest

from parsers.invoice import parse_invoice_document
from tests.factories.party_invoices import BUYERS, SELLERS, party_invoice_pdf

# (invoice language, seller's country, buyer key): the cases issue 11 names, each labelled and in a letter window.
CASES = [
    ("fr", "BE", "BE"),     # a Belgian buyer with a French invoice, domestic: no country line
    ("nl", "BE", "BE-nl"),  # a Belgian buyer with a Dutch invoice, domestic
    ("nl", "NL", "BE-nl"),  # a Dutch seller's Dutch invoice to Belgium: "België" closes the block
    ("fr", "NL", "BE"),     # a Dutch seller writing French to Brussels
    ("en", "GB", "GB"),     # an English invoice to a UK buyer
    ("en", "NL", "GB"),
    ("de", "DE", "DE"),     # a German invoice (two street lines)
    ("de", "NL", "DE"),
    ("fr", "FR", "FR"),
    ("nl", "NL", "NL"),
    ("en", "DE", "FR"),
]


@pytest.mark.parametrize("window", [False, True], ids=["labelled", "window"])
@pytest.mark.parametrize(("language", "seller_key", "buyer_key"), CASES)
def test_buyer_address_country_and_language(language, seller_key, buyer_key, window):
    seller, buyer = SELLERS[seller_key], BUYERS[buyer_key]
    invoice = parse_invoice_document(party_invoice_pdf(seller, buyer, language, window=window), "f.pdf")
    assert invoice.buyer.name == buyer.name
    assert invoice.buyer.address == buyer.block(seller, language)
    assert invoice.buyer.country == buyer.country
    assert invoice.language == language
    assert invoice.seller.country == seller.country
    assert invoice.to_json()["buyer"]["country"] == buyer.country and invoice.to_json()["language"] == language


@pytest.mark.parametrize("window", [False, True], ids=["labelled", "window"])
def test_the_sellers_address_is_never_the_buyers(window):
    seller, buyer = SELLERS["DE"], BUYERS["DE"]
    invoice = parse_invoice_document(party_invoice_pdf(seller, buyer, "de", window=window), "f.pdf")
    assert "Lindenstraße" not in (invoice.buyer.address or "")
    assert invoice.seller.address is not None and invoice.seller.address.startswith("Lindenstraße 8")
    assert "Hauptstraße" not in invoice.seller.address


def test_a_vat_id_in_the_buyer_block_is_the_buyers_and_names_its_country():
    seller, buyer = SELLERS["BE"], BUYERS["BE"]
    invoice = parse_invoice_document(party_invoice_pdf(seller, buyer, "fr", buyer_vat=True), "f.pdf")
    assert invoice.buyer.vat_id == "BE0477472701"
    assert invoice.seller.vat_id == "BE0403170701"
    assert invoice.buyer.address == "Rue de la Loi 16\n1040 Etterbeek"
