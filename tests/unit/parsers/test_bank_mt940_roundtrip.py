"""Property: an MT940 written by the maintained `mt940-writer` reads back with every amount, date and reference."""

from datetime import date
from decimal import Decimal

import mt940_writer as w
from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.bank import read_statement
from parsers.bank.reference import creditor_reference

# Field 86 allows the SWIFT x character set; banks use upper and lower letters, digits and spaces.
words = st.from_regex(r"[A-Za-z0-9]{1,10}", fullmatch=True)
transactions = st.fixed_dictionaries({
    "day": st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    "amount": st.decimals(Decimal("-9999999.99"), Decimal("9999999.99"), places=2).filter(lambda a: a != 0),
    "bank_ref": st.from_regex(r"[0-9]{6,14}", fullmatch=True),
    "name": st.lists(words, min_size=1, max_size=3).map(" ".join),
    "text": st.lists(words, min_size=1, max_size=4).map(" ".join),
    "rf": st.one_of(st.none(), words.map(creditor_reference)),
})


def _info(t: dict) -> str:
    remi = f"STRD/CUR/{t['rf']}" if t["rf"] else f"USTD//{t['text']}"
    return f"/CNTP/NL02RABO0123456789/RABONL2U/{t['name']}///REMI/{remi}/"


@settings(max_examples=100, deadline=None)
@given(st.lists(transactions, min_size=1, max_size=6))
def test_parse_of_write_keeps_amounts_dates_and_references(written):
    statement = w.Statement("REF1", "NL91ABNA0417164300EUR", "1/1", w.Balance(Decimal(0), date(2020, 1, 1), "EUR"),
                            w.Balance(Decimal(0), date(2030, 12, 31), "EUR"),
                            [w.Transaction(t["day"], t["amount"], w.TransactionType.transfer,
                                           f"NONREF//{t['bank_ref']}", w.TransactionAdditionalInfo(_info(t)))
                             for t in written])
    read = read_statement(str(statement).encode())
    assert read.format == "mt940" and read.account_iban == "NL91ABNA0417164300"
    assert len(read.lines) == len(written)
    for got, sent in zip(read.lines, written, strict=True):
        assert (got.amount, got.credit, got.booking_date) == (abs(sent["amount"]), sent["amount"] > 0, sent["day"])
        assert got.bank_reference == sent["bank_ref"] and got.counterparty_name == sent["name"]
        assert got.creditor_reference == sent["rf"]
        if not sent["rf"]:
            assert got.remittance == sent["text"]
