"""Template-free reading of generated PDF invoices (Dutch and English) and their problems."""

from datetime import date
from decimal import Decimal

import pytest

from parsers.invoice import parse_invoice_document
from tests.factories.invoice_pdf import make_invoice_pdf

BASE = dict(number="2025-0042", issue_date=date(2025, 3, 7), amount_due=Decimal("1210.00"),
            seller_name="Bakkerij De Molen B.V.", seller_email="facturen@demolen.nl", buyer_name="Café Het Hoekje",
            buyer_email="jan@hoekje.nl", seller_vat_id="NL000099998B57", seller_kvk="12345678",
            seller_iban="NL91ABNA0417164300")


@pytest.mark.parametrize("language", ["nl", "en"])
def test_reads_key_fields_with_printed_due_date(language):
    pdf = make_invoice_pdf(**BASE, due_date=date(2025, 4, 6), language=language)
    invoice = parse_invoice_document(pdf, "f.pdf")
    assert invoice.source == "pdf-text"
    assert invoice.invoice_number == "2025-0042"
    assert invoice.issue_date == date(2025, 3, 7)
    assert invoice.due_date == date(2025, 4, 6)
    assert invoice.amount_due == Decimal("1210.00")
    assert invoice.total_excl_vat == Decimal("1000.00")
    assert invoice.vat_total == Decimal("210.00")
    assert invoice.currency == "EUR"
    assert invoice.confidence["amount_due"] >= 0.8
    assert invoice.confidence["invoice_number"] >= 0.8


@pytest.mark.parametrize(("language", "days"), [("nl", 30), ("en", 14)])
def test_due_date_from_terms(language, days):
    pdf = make_invoice_pdf(**BASE, due_date=None, terms_days=days, language=language)
    invoice = parse_invoice_document(pdf, "f.pdf")
    assert invoice.payment_terms_days == days
    assert invoice.due_date == date(2025, 3, 7) + (date(2025, 4, 6) - date(2025, 3, 7)) * days // 30


def test_buyer_email_is_never_the_sellers_and_role_address_is_general():
    pdf = make_invoice_pdf(**BASE, due_date=None, terms_days=30, buyer_general_email="info@hoekje.nl")
    invoice = parse_invoice_document(pdf, "f.pdf")
    assert invoice.buyer.email == "jan@hoekje.nl"
    assert invoice.buyer.general_email == "info@hoekje.nl"
    assert invoice.seller.email == "facturen@demolen.nl"
    assert invoice.buyer.name == "Café Het Hoekje"


def test_seller_identifiers_and_no_problems_on_a_complete_invoice():
    invoice = parse_invoice_document(make_invoice_pdf(**BASE, due_date=date(2025, 4, 6)), "f.pdf")
    assert invoice.seller.vat_id == "NL000099998B57"
    assert invoice.seller.kvk == "12345678"
    assert invoice.seller.iban == "NL91ABNA0417164300"
    assert invoice.seller.name == "Bakkerij De Molen B.V."
    assert [p.code for p in invoice.problems] == []


def test_usd_amount_in_english_format():
    pdf = make_invoice_pdf(**{**BASE, "amount_due": Decimal("12345.67")}, due_date=None, currency="USD",
                           language="en")
    invoice = parse_invoice_document(pdf, "f.pdf")
    assert invoice.amount_due == Decimal("12345.67")
    assert invoice.currency == "USD"


def test_to_json_shape():
    data = parse_invoice_document(make_invoice_pdf(**BASE, due_date=date(2025, 4, 6)), "f.pdf").to_json()
    assert data["amount_due"] == "1210.00" and data["issue_date"] == "2025-03-07"
    assert set(data["seller"]) >= {"name", "email", "vat_id", "kvk", "iban", "address", "country"}
    assert set(data) == {"invoice_number", "issue_date", "due_date", "payment_terms_days", "currency", "amount_due",
                         "total_excl_vat", "vat_total", "is_credit_note", "seller", "buyer", "payment_reference",
                         "source", "confidence", "problems", "language"}
    assert data["language"] == "nl" and data["buyer"]["country"] == "NL"
