"""MT940 (five banks' field 86) and the Dutch banks' CSV exports, each read into the same statement lines."""

from decimal import Decimal
from pathlib import Path

import pytest

from parsers.bank import StatementUnreadable, read_statement
from parsers.bank.detect import is_statement

SAMPLES = Path(__file__).parent / "bank_samples"
RF = "RF18539007547034"


def lines(name: str):
    statement = read_statement((SAMPLES / name).read_bytes())
    return statement, [(line.amount, line.credit, line.counterparty_name, line.counterparty_iban, line.remittance,
                        line.creditor_reference, line.reversal) for line in statement.lines]


def test_ing_mt940_cntp_and_structured_remi():
    statement, found = lines("mt940_ing.sta")
    assert statement.format == "mt940" and statement.account_iban == "NL69INGB0123456789"
    assert found == [
        (Decimal("363.00"), True, "Klant B.V.", "NL02RABO0123456789", RF, RF, False),
        (Decimal("100.00"), True, "Bakkerij De Korrel", "NL44INGB0001234567", "Factuur F-2027 002 deel", None, False),
        (Decimal("12.10"), False, "Telecom B.V.", "NL20INGB0001234567", "abonnement", None, False)]
    assert statement.lines[0].bank_reference == "00000000001005" and statement.lines[0].end_to_end_id == "E2E-0001"


def test_abnamro_mt940_keyed_description_over_two_lines():
    _, found = lines("mt940_abnamro.sta")
    assert found[0] == (Decimal("363.00"), True, "KLANT BV", "NL02RABO0123456789", "BETALING RF18 5390 0754 7034", RF,
                        False)
    assert found[1][4] == "FACTUUR F-2027-002"


def test_rabobank_mt940_iban_after_61_and_a_return():
    statement, found = lines("mt940_rabobank.sta")
    assert statement.account_iban == "NL91RABO0123456789"
    assert found == [
        (Decimal("100.00"), True, "Bakkerij De Korrel", "NL44INGB0001234567", "Factuur nr F2027002 deelbetaling", None,
         False),
        (Decimal("40.00"), False, "Klant B.V.", "NL02RABO0123456789", "retour", None, True)]


@pytest.mark.parametrize(("name", "payer", "iban"), [("mt940_kbc.sta", None, "BE71096123456769"),
                                                     ("mt940_belfius.sta", "JANSSENS BVBA", "BE68539007547034")])
def test_belgian_mt940_ogm_in_free_text_and_subfields(name, payer, iban):
    _, ((amount, credit, name_found, iban_found, _text, reference, _rev),) = lines(name)
    assert credit and (name_found, iban_found, reference) == (payer, iban, "010806817183")


def test_rabobank_csv_signed_amounts_and_betalingskenmerk():
    statement, found = lines("rabobank.csv")
    assert statement.format == "csv-rabobank"
    assert [f[:2] for f in found] == [(Decimal("363.00"), True), (Decimal("1100.00"), True), (Decimal("12.10"), False)]
    assert found[0][5] == RF and found[1][4] == "Factuur F-2027-002 deelbetaling"
    assert statement.lines[0].bank_reference == "000000000000007001"


def test_ing_csv_af_bij_and_labelled_notes():
    statement, found = lines("ing.csv")
    assert statement.format == "csv-ing" and statement.account_iban == "NL69INGB0123456789"
    assert found[0] == (Decimal("363.00"), True, "Klant B.V.", "NL02RABO0123456789", "betaling", RF, False)
    assert found[1][4] == "Factuur nr. F-2027 002" and found[2][1] is False


def test_abnamro_tab_export_without_header():
    statement, found = lines("abnamro.tab")
    assert statement.format == "csv-abnamro" and statement.account_iban == "417164300"
    assert [(f[0], f[1], f[5]) for f in found] == [(Decimal("363.00"), True, RF), (Decimal("100.00"), True, None),
                                                   (Decimal("12.10"), False, None)]


def test_other_csv_is_no_statement():
    data = b"Invoice,Amount\nF-1,10.00\n"
    assert not is_statement(data)
    with pytest.raises(StatementUnreadable, match="Rabobank, ING or ABN AMRO"):
        read_statement(data)


def test_a_bad_row_is_named():
    broken = (SAMPLES / "rabobank.csv").read_bytes().replace(b'"+363,00"', b'"abc"')
    with pytest.raises(StatementUnreadable, match="row 2"):
        read_statement(broken)
