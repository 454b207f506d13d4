"""Property: a CAMT.053 written from statement lines reads back with every amount, date and reference."""

from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from parsers.bank import read_statement
from parsers.bank.model import StatementLine
from parsers.bank.reference import creditor_reference, find_references
from tests.bank_camt_writer import write_camt053

words = st.text(alphabet=st.characters(whitelist_categories=("L", "N"), max_codepoint=0x24F), min_size=1,
                max_size=12)
lines = st.builds(
    StatementLine,
    account_iban=st.just("NL91ABNA0417164300"),
    booking_date=st.dates(date(2020, 1, 1), date(2030, 12, 31)),
    amount=st.decimals(Decimal("0.01"), Decimal("99999999.99"), places=2),
    credit=st.booleans(),
    currency=st.sampled_from(["EUR", "USD", "GBP"]),
    bank_reference=st.one_of(st.none(), st.from_regex(r"[A-Z0-9]{6,20}", fullmatch=True)),
    counterparty_name=st.one_of(st.none(), st.lists(words, min_size=1, max_size=3).map(" ".join)),
    counterparty_iban=st.one_of(st.none(), st.just("NL02RABO0123456789")),
    remittance=st.lists(words, max_size=5).map(" ".join),
    creditor_reference=st.one_of(st.none(), words.map(creditor_reference)),
    reversal=st.booleans(),
    end_to_end_id=st.one_of(st.none(), st.from_regex(r"E2E-[0-9]{1,10}", fullmatch=True)),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(lines, min_size=1, max_size=8))
def test_parse_of_write_keeps_every_amount_date_and_reference(written):
    read = read_statement(write_camt053(written, account_iban="NL91ABNA0417164300"))
    assert len(read.lines) == len(written)
    for got, sent in zip(read.lines, written, strict=True):
        assert (got.amount, got.currency, got.credit, got.booking_date) == \
            (sent.amount, sent.currency, sent.credit, sent.booking_date)
        assert (got.bank_reference, got.end_to_end_id, got.reversal) == \
            (sent.bank_reference, sent.end_to_end_id, sent.reversal)
        assert (got.counterparty_name, got.counterparty_iban) == (sent.counterparty_name, sent.counterparty_iban)
        assert got.remittance == sent.remittance
        # the structured reference wins; without one, an RF written in the text is found there
        assert got.creditor_reference == (sent.creditor_reference or next(iter(find_references(sent.remittance)),
                                                                           None))
