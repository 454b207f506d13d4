"""Reading an invoice CSV: the documented columns, both date orders, both decimal marks, refusals per field."""

from datetime import date
from decimal import Decimal

import pytest

from worker.usecases.imports_csv import CsvUnreadable, RowRefused, parse_amount, parse_date, read_rows, row_invoice


@pytest.mark.parametrize(("text", "amount"), [
    ("1.234,56", "1234.56"), ("1,234.56", "1234.56"), ("1234,5", "1234.5"), ("1234.56", "1234.56"),
    ("€ 1 234,56", "1234.56"), ("12", "12"), ("EUR 99,00", "99.00"), ("1.234.567,89", "1234567.89"),
])
def test_amounts_take_either_decimal_mark(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(("text", "words"), [
    ("1.500", "ambiguous"), ("1,500", "ambiguous"), ("abc", "not a number"), ("", "empty"), ("-5,00", "not positive"),
    ("0", "not positive"), ("1000000000000,00", "too large"),
])
def test_amounts_that_could_be_misread_are_refused(text, words):
    with pytest.raises(RowRefused, match=words) as refused:
        parse_amount(text)
    assert refused.value.field == "amount"


@pytest.mark.parametrize(("text", "day"), [
    ("2027-01-31", date(2027, 1, 31)), ("31-01-2027", date(2027, 1, 31)), ("1/2/2027", date(2027, 2, 1)),
    ("31.12.2026", date(2026, 12, 31)), ("", None),
])
def test_dates_are_iso_or_day_month_year(text, day):
    assert parse_date(text, "due_date") == day


@pytest.mark.parametrize("text", ["2027-02-30", "31-02-2027", "01/31/2027x", "tomorrow", "2027/01/31"])
def test_other_dates_are_refused_naming_the_column(text):
    with pytest.raises(RowRefused) as refused:
        parse_date(text, "invoice_date")
    assert refused.value.field == "invoice_date"


def test_the_header_may_be_dutch_and_semicolon_separated_in_any_order():
    data = "Debiteur;E-mail;Bedrag;Factuurnummer;Vervaldatum;Consument;Land\nKlant;a@b.nl;10,00;F-1;31-01-2027;ja;nl\n"
    [row] = read_rows(data.encode("cp1252"))
    facts = row_invoice(row)
    assert facts.invoice.invoice_number == "F-1" and facts.invoice.amount_due == Decimal("10.00")
    assert facts.invoice.due_date == date(2027, 1, 31) and facts.consumer is True and facts.country == "NL"
    assert facts.invoice.buyer.name == "Klant" and facts.invoice.currency == "EUR" and row.line == 2


def test_a_header_without_a_required_column_is_refused_naming_it():
    with pytest.raises(CsvUnreadable, match="debtor_email") as refused:
        read_rows(b"invoice number,amount\nF-1,10\n")
    assert refused.value.field == "debtor_email"


@pytest.mark.parametrize(("cells", "field"), [
    ({"invoice_number": "", "amount": "1", "debtor_email": "a@b.nl"}, "invoice_number"),
    ({"invoice_number": "F", "amount": "1", "debtor_email": "a@b.nl", "currency": "euro"}, "currency"),
    ({"invoice_number": "F", "amount": "1", "debtor_email": "a@b.nl", "debtor_country": "Nederland"},
     "debtor_country"),
    ({"invoice_number": "F", "amount": "1", "debtor_email": "a@b.nl", "consumer": "misschien"}, "consumer"),
    ({"invoice_number": "F", "amount": "1", "debtor_email": "a@b.nl", "language": "es"}, "language"),
    ({"invoice_number": "F", "amount": "1", "debtor_email": "a@b.nl", "invoice_date": "2027-02-01",
      "due_date": "2027-01-01"}, "due_date"),
    ({"invoice_number": "F", "amount": "1", "debtor_email": "a@b"}, "debtor_email"),
])
def test_a_row_is_refused_naming_its_column(cells, field):
    from worker.usecases.imports_csv import CsvRow

    with pytest.raises(RowRefused) as refused:
        row_invoice(CsvRow(2, cells))
    assert refused.value.field == field
