"""Remittance advice: invoice/amount lines from a body table, sentences, CSV, XLSX and PDF, and the detector."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from parsers.remittance import (
    RemittanceLine,
    UnreadableRemittance,
    invoice_numbers_in,
    looks_like_remittance,
    remittance_lines,
)

# Three invoices: two paid in full, one part-paid — the story the issue asks for.
EXPECTED = [
    RemittanceLine("F2025-017", Decimal("1210.00")),
    RemittanceLine("F2025-018", Decimal("2450.50")),
    RemittanceLine("F2025-021", Decimal("300.00")),
]


def lines(text: str = "", attachments=()):
    return remittance_lines(text, attachments)


BODY_TABLES = {
    "aligned_nl": "Factuurnummer   Factuurbedrag   Betaald\nF2025-017       1.210,00        1.210,00\n"
                  "F2025-018       2.450,50        2.450,50\nF2025-021       968,00          300,00\n"
                  "Totaal                          3.960,50",
    "pipes_en": "| Invoice | Amount paid |\n|---|---|\n| F2025-017 | € 1,210.00 |\n| F2025-018 | € 2,450.50 |\n"
                "| F2025-021 | € 300.00 |",
    "tabs_de": "Rechnung\tBetrag\nF2025-017\t1.210,00 €\nF2025-018\t2.450,50 €\nF2025-021\t300,00 €",
    "sentences_nl": "Wij hebben vandaag betaald:\nfactuur F2025-017: € 1.210,00\nfactuur F2025-018: € 2.450,50\n"
                    "factuur F2025-021: € 300,00 (deelbetaling)",
    "sentences_en": "Payment made today for invoice F2025-017 EUR 1,210.00\ninvoice F2025-018 EUR 2,450.50\n"
                    "invoice F2025-021 EUR 300.00 (part payment)",
    "codes_gbp": "Invoice F2025-017 GBP 1,210.00\nInvoice F2025-018 GBP 2,450.50\nInvoice F2025-021 GBP 300.00\n"
                 "Total GBP 3,960.50",
}


@pytest.mark.parametrize("name", sorted(BODY_TABLES))
def test_body_tables_and_sentences(name):
    assert lines(BODY_TABLES[name]) == EXPECTED


def test_quoted_lines_are_not_remittance():
    assert lines("> F2025-017   1.210,00\n> F2025-018   2.450,50") == []


CSV_FILES = {
    "semicolon_dutch_numbers": "Factuurnummer;Factuurdatum;Bedrag;Betaald\nF2025-017;01-03-2025;1.210,00;1.210,00\n"
                               "F2025-018;03-03-2025;2.450,50;2.450,50\nF2025-021;09-03-2025;968,00;300,00\n",
    "comma_english_numbers": 'Invoice No,Invoice amount,Amount paid\nF2025-017,"1,210.00","1,210.00"\n'
                             'F2025-018,"2,450.50","2,450.50"\nF2025-021,968.00,300.00\n',
    "no_header": "F2025-017;1210,00\nF2025-018;2450,50\nF2025-021;300,00\n",
}


@pytest.mark.parametrize("name", sorted(CSV_FILES))
def test_csv_attachments(name):
    data = CSV_FILES[name].encode("cp1252" if "dutch" in name else "utf-8-sig")
    assert lines(attachments=[("betaalspecificatie.csv", data)]) == EXPECTED


def _xlsx(rows) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_with_numbers_and_text_amounts():
    data = _xlsx([["Remittance advice ACME BV"], [], ["Document", "Datum", "Bruto", "Korting", "Betaald"],
                  ["F2025-017", "2025-03-01", 1210, 0, 1210.0], ["F2025-018", "2025-03-03", 2450.5, 0, "2.450,50"],
                  ["F2025-021", "2025-03-09", 968, 0, 300], [None, None, None, "Totaal", 3960.5]])
    assert lines(attachments=[("remittance.xlsx", data)]) == EXPECTED


def test_xlsx_numeric_invoice_numbers():
    data = _xlsx([["Invoice", "Paid"], [20250017, 99.95], [20250018, 10]])
    assert lines(attachments=[("payment.xlsx", data)]) == [
        RemittanceLine("20250017", Decimal("99.95")), RemittanceLine("20250018", Decimal("10.00"))]


def test_damaged_xlsx_is_a_typed_error():
    with pytest.raises(UnreadableRemittance) as error:
        lines(attachments=[("remittance.xlsx", b"not a workbook")])
    assert error.value.filename == "remittance.xlsx" and error.value.reason


def _pdf(text_lines) -> bytes:
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    y = 800
    for left, middle, right in text_lines:
        page.drawString(60, y, left)
        page.drawString(250, y, middle)
        page.drawRightString(520, y, right)
        y -= 18
    page.save()
    return out.getvalue()


def test_pdf_payment_advice():
    data = _pdf([("Betalingsadvies", "", ""), ("Factuurnummer", "Factuurbedrag", "Betaald"),
                 ("F2025-017", "1.210,00", "1.210,00"), ("F2025-018", "2.450,50", "2.450,50"),
                 ("F2025-021", "968,00", "300,00")])
    assert lines(attachments=[("betalingsadvies.pdf", data)]) == EXPECTED


def test_body_is_used_when_attachments_hold_no_lines():
    assert lines(BODY_TABLES["pipes_en"], [("logo.png", b"\x89PNG")]) == EXPECTED


@pytest.mark.parametrize(("subject", "text", "names", "expected"), [
    ("Betalingsadvies 2025-03", "", [], True),
    ("Remittance advice", "", [], True),
    ("Zahlungsavis", "", [], True),
    ("Avis de paiement", "", [], True),
    ("Betaling", "Zie bijlage.", ["betaalspecificatie.pdf"], True),
    ("Payment", "Please find attached.", ["payments-march.xlsx"], True),
    ("Re: herinnering", BODY_TABLES["sentences_nl"], [], True),
    ("Re: herinnering", "We betalen de factuur F2025-017 vrijdag.", [], False),
    ("Re: reminder", "We paid invoice F2025-017 yesterday.", [], False),
    ("Invoice F2025-030", "Please find our invoice attached.", ["F2025-030.pdf"], False),
])
def test_looks_like_remittance(subject, text, names, expected):
    assert looks_like_remittance(subject, text, names) is expected


def test_invoice_numbers_in_free_text():
    text = ("Betreft factuur 2025017 en INV-2025-0042; uw kenmerk F2025/17. Bedrag € 1.210,00 op 15-03-2025, "
            "bel 020-1234567 of mail jan@klant.nl.")
    assert invoice_numbers_in(text) == ["2025017", "INV-2025-0042", "F2025/17"]
