"""Invoice documents that would exhaust memory or time are refused before a library reads them."""

from __future__ import annotations

import time

import pytest

from parsers.invoice import CorruptDocument, DocumentTooLarge, parse_invoice_document
from parsers.invoice.pdf_streams import MAX_EMBEDDED_BYTES, census
from parsers.remittance import UnreadableRemittance, remittance_lines
from tests.factories import hostile


def test_the_plain_test_pdf_is_an_invoice():
    assert parse_invoice_document(hostile.text_pdf("2027-0300"), "f.pdf").invoice_number == "2027-0300"


def test_a_decompression_bomb_is_refused_after_measuring_only_the_limit():
    started = time.perf_counter()
    with pytest.raises(DocumentTooLarge, match="unpacks to more than 64 MB"):
        parse_invoice_document(hostile.pdf_bomb(200), "bomb.pdf")
    assert time.perf_counter() - started < 10


def test_a_pdf_of_5000_pages_is_refused_with_its_page_count():
    with pytest.raises(DocumentTooLarge, match="bomb.pdf has 5000 pages; an invoice of more than 50 pages"):
        parse_invoice_document(hostile.pdf_of_pages(5000), "bomb.pdf")
    assert parse_invoice_document(hostile.pdf_of_pages(50), "f.pdf").invoice_number == "2027-0304"


def test_a_huge_embedded_file_is_ignored_and_the_page_still_read():
    data = hostile.pdf_with_huge_embedded_file(64)
    assert census(data).largest_embedded > MAX_EMBEDDED_BYTES
    assert parse_invoice_document(data, "f.pdf").invoice_number == "2027-0303"


@pytest.mark.parametrize("xml", [hostile.billion_laughs_ubl(), hostile.xxe_ubl()], ids=["laughs", "xxe"])
def test_xml_with_a_doctype_is_refused(xml):
    with pytest.raises(CorruptDocument, match="<!DOCTYPE>"):
        parse_invoice_document(xml, "f.xml")


def test_xml_line_breaks_in_a_name_become_spaces():
    invoice = parse_invoice_document(hostile.ubl_with_crlf_buyer(), "f.xml")
    assert invoice.buyer.name == "Klant B.V. Bcc: evil@attacker.example"


def test_a_long_remittance_pdf_is_refused():
    with pytest.raises(UnreadableRemittance, match="5000 pages"):
        remittance_lines("", [("advies.pdf", hostile.pdf_of_pages(5000))])
