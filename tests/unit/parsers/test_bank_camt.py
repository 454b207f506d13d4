"""CAMT.053/054 statements read into lines: amounts, directions, parties, references, batches, status."""

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from parsers.bank import StatementUnreadable, read_statement
from parsers.bank.detect import is_statement
from parsers.bank.reference import creditor_reference, find_references, printed, structured_reference

SAMPLES = Path(__file__).parent / "bank_samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def test_camt053_v02_lines_in_file_order_with_batch_split_and_pending_skipped():
    statement = read_statement(sample("camt053_v02_nl.xml"))
    assert statement.format == "camt.053" and statement.account_iban == "NL91ABNA0417164300"
    amounts = [(line.amount, line.credit) for line in statement.lines]
    assert amounts == [(Decimal("363.00"), True), (Decimal("100.00"), True), (Decimal("50.00"), True),
                       (Decimal("25.50"), True), (Decimal("12.10"), False), (Decimal("40.00"), False)]
    first, second, batch1, batch2, debit, returned = statement.lines
    assert first.creditor_reference == "RF18539007547034" and first.counterparty_iban == "NL02RABO0123456789"
    assert first.counterparty_name == "Klant B.V." and first.booking_date == date(2027, 1, 29)
    assert first.bank_reference == "NL0001AB29012700001" and first.end_to_end_id == "E2E-0001"
    assert second.remittance == "Factuur nr. F-2027 002 deelbetaling" and second.creditor_reference is None
    assert (batch1.bank_reference, batch2.bank_reference) == ("NL0001AB30012700003-1", "NL0001AB30012700003-2")
    assert batch2.remittance == "donatie januari"
    assert debit.counterparty_name == "Telecom B.V." and not debit.reversal
    assert returned.reversal and returned.remittance == "F-2027-003"


def test_camt053_v08_party_and_status_codes_and_ogm():
    statement = read_statement(sample("camt053_v08_be.xml"))
    (line,) = statement.lines
    assert statement.account_iban == "BE68539007547034"
    assert line.counterparty_name == "Brouwerij Het Anker NV" and line.counterparty_iban == "BE71096123456769"
    assert line.creditor_reference == "010806817183" and line.booking_date == date(2027, 2, 1)
    assert line.amount == Decimal("1210.00") and line.credit


def test_camt054_notification_finds_rf_in_unstructured_text():
    statement = read_statement(sample("camt054_v02.xml"))
    assert statement.format == "camt.054"
    (line,) = statement.lines
    assert line.creditor_reference == "RF18539007547034" and line.bank_reference == "NL0001AB29012700001"


def test_other_files_are_refused_with_what_to_export():
    assert not is_statement(b"%PDF-1.7 ...")
    with pytest.raises(StatementUnreadable, match="export"):
        read_statement(b"hello")
    broken = sample("camt054_v02.xml").replace(b"</Document>", b"")
    with pytest.raises(StatementUnreadable, match="not well-formed"):
        read_statement(broken)


def test_creditor_reference_is_valid_deterministic_and_found_back_in_text():
    ref = creditor_reference("F-2027-002")
    assert ref == creditor_reference("F-2027-002") and structured_reference(ref) == ref
    assert ref.endswith("F2027002")
    long = creditor_reference("INVOICE-NUMBER-THAT-IS-FAR-TOO-LONG-1")
    assert len(long) <= 25 and structured_reference(long) == long
    assert find_references(f"betaling {printed(ref)} dank u") == [ref]
    assert find_references("RF19539007547034 is wrong") == []  # a bad check digit is not a reference
    assert printed("010806817183") == "+++010/8068/17183+++"
    assert find_references("mededeling +++010/8068/17183+++") == ["010806817183"]
    assert find_references("rekening 010806817183") == []  # loose digits are not an OGM
