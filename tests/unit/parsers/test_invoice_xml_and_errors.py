"""UBL, CII and Factur-X reading; typed errors for unreadable documents; attachment handling."""

from datetime import date
from decimal import Decimal

import pytest

from parsers.invoice import (
    CorruptDocument,
    DocumentTooLarge,
    EncryptedDocument,
    NotAnInvoice,
    ScannedDocument,
    parse_invoice_attachments,
    parse_invoice_document,
)
from tests.factories.documents import (
    make_encrypted_pdf,
    make_letter_pdf,
    make_pdf_with_attachment,
    make_scanned_pdf,
)
from tests.factories.invoice_pdf import make_invoice_pdf
from tests.factories.invoice_xml import make_cii, make_ubl


def test_ubl_invoice():
    invoice = parse_invoice_document(make_ubl(), "f.xml")
    assert (invoice.source, invoice.invoice_number, invoice.due_date) == ("ubl", "F2025-17", date(2025, 3, 31))
    assert invoice.amount_due == Decimal("1210.00") and not invoice.is_credit_note
    assert invoice.buyer.email == "inkoop@klant.nl"
    assert invoice.seller.kvk == "12345678" and invoice.seller.iban == "NL91ABNA0417164300"
    assert invoice.confidence["amount_due"] == 1.0


def test_ubl_credit_note_is_negative():
    invoice = parse_invoice_document(make_ubl(credit_note=True), "c.xml")
    assert invoice.is_credit_note and invoice.amount_due == Decimal("-1210.00")


def test_ubl_due_date_from_terms_days():
    invoice = parse_invoice_document(make_ubl(due=None, terms_note="Betaling binnen 14 dagen"), "f.xml")
    assert invoice.payment_terms_days == 14 and invoice.due_date == date(2025, 3, 15)


def test_cii_due_date_inside_terms_text():
    invoice = parse_invoice_document(make_cii(), "x.xml")
    assert invoice.source == "cii" and invoice.due_date == date(2025, 4, 4) and invoice.payment_terms_days == 30


def test_cii_self_billed_389_stays_positive_and_381_negative():
    assert parse_invoice_document(make_cii(type_code="389"), "x.xml").amount_due == Decimal("529.87")
    assert parse_invoice_document(make_cii(type_code="381"), "x.xml").amount_due == Decimal("-529.87")


def test_factur_x_xml_wins_over_page_text():
    pdf = make_pdf_with_attachment("Rechnung 999 Betrag 1,00 EUR", "factur-x.xml", make_cii(number="RE-7"))
    invoice = parse_invoice_document(pdf, "fx.pdf")
    assert invoice.source == "factur-x" and invoice.invoice_number == "RE-7"
    assert invoice.buyer.email == "rechnung@kunden.de"


@pytest.mark.parametrize(("data", "error"), [
    (make_encrypted_pdf(), EncryptedDocument), (make_scanned_pdf(), ScannedDocument),
    (make_letter_pdf(), NotAnInvoice), (b"%PDF-1.4\nthis is not really a pdf", CorruptDocument),
    (b"\x00\x01garbage", CorruptDocument), (b"<note><to>x</to></note>", NotAnInvoice),
    (b"<Invoice><unclosed>", CorruptDocument), (b"%PDF-1.4\n" + b"0" * (21 * 1024 * 1024), DocumentTooLarge),
])
def test_errors_name_the_file(data, error):
    with pytest.raises(error) as caught:
        parse_invoice_document(data, "bijlage.pdf")
    assert "bijlage.pdf" in caught.value.reason and caught.value.filename == "bijlage.pdf"
    assert "\n" not in caught.value.reason


def test_attachments_prefer_xml_and_ignore_logos():
    pdf = make_invoice_pdf(number="F2025-17", issue_date=date(2025, 3, 1), due_date=date(2025, 3, 31),
                           amount_due=Decimal("1210.00"), seller_name="Leverancier B.V.", seller_email="a@b.nl",
                           buyer_name="Klant B.V.", buyer_email="inkoop@klant.nl")
    result = parse_invoice_attachments([("logo.png", "image/png", b"\x89PNG"), ("f.pdf", "application/pdf", pdf),
                                        ("f.xml", "application/xml", make_ubl()),
                                        ("x.pdf", "application/pdf", make_encrypted_pdf())])
    assert [i.source for i in result.invoices] == ["ubl"]
    assert result.ignored == ["logo.png"]
    assert [type(e) for e in result.errors] == [EncryptedDocument]
