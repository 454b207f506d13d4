"""The ledger rules: the paid amount follows from payment and reversal events; a surplus is only ever a credit."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worker.domain.ledger import (
    Entry,
    EntryKind,
    ExceedsOpenAmount,
    Split,
    credit_amount,
    open_amount,
    paid_amount,
    split_payment,
    status_after,
)
from worker.domain.status import InvoiceStatus

PAY, REVERSE = EntryKind.PAYMENT, EntryKind.REVERSAL


def test_paid_is_the_sum_of_payments_less_reversals_and_credits():
    entries = [Entry(PAY, Decimal("100.00")), Entry(PAY, Decimal("300.00"), Decimal("37.00")),
               Entry(REVERSE, Decimal("100.00"))]
    assert paid_amount(entries) == Decimal("263.00")
    assert credit_amount(entries) == Decimal("37.00")
    assert open_amount(Decimal("363.00"), paid_amount(entries)) == Decimal("100.00")


def test_reversing_an_overpayment_takes_its_credit_back_too():
    entries = [Entry(PAY, Decimal("400.00"), Decimal("37.00")), Entry(REVERSE, Decimal("400.00"), Decimal("37.00"))]
    assert (paid_amount(entries), credit_amount(entries)) == (Decimal("0.00"), Decimal("0.00"))


def test_a_payment_up_to_the_open_amount_pays_the_invoice():
    assert split_payment(Decimal("363.00"), Decimal("363.00"), overpayment=False) == Split(Decimal("363.00"),
                                                                                          Decimal("0.00"))
    assert split_payment(Decimal("21.00"), Decimal("363.00"), overpayment=True) == Split(Decimal("21.00"),
                                                                                        Decimal("0.00"))


def test_more_than_open_is_refused_naming_the_open_amount_unless_meant_as_credit():
    with pytest.raises(ExceedsOpenAmount) as refused:
        split_payment(Decimal("100000.00"), Decimal("363.00"), overpayment=False)
    assert refused.value.open_amount == Decimal("363.00")
    assert split_payment(Decimal("100000.00"), Decimal("363.00"), overpayment=True) == Split(
        Decimal("363.00"), Decimal("99637.00"))


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-5.00")])
def test_a_payment_must_be_positive(amount):
    with pytest.raises(ValueError, match="positive"):
        split_payment(amount, Decimal("10.00"), overpayment=True)


@pytest.mark.parametrize(("status", "open_after", "expected"), [
    (InvoiceStatus.OPEN, Decimal("0.00"), InvoiceStatus.PAID),
    (InvoiceStatus.PAUSED, Decimal("0.00"), InvoiceStatus.PAID),
    (InvoiceStatus.OPEN, Decimal("1.00"), InvoiceStatus.OPEN),
    (InvoiceStatus.DISPUTED, Decimal("1.00"), InvoiceStatus.DISPUTED),  # a part payment does not end a dispute
    (InvoiceStatus.PAID, Decimal("1.00"), InvoiceStatus.OPEN),  # a reversal puts it back on the ladder
    (InvoiceStatus.CREDITED, Decimal("0.00"), InvoiceStatus.CREDITED),
    (InvoiceStatus.CREDITED, Decimal("5.00"), InvoiceStatus.CREDITED),
])
def test_status_after_booking(status, open_after, expected):
    assert status_after(status, open_after) is expected


cents = st.integers(min_value=1, max_value=10_000_000).map(lambda c: Decimal(c) / 100)


@given(due=cents, moves=st.lists(st.tuples(st.booleans(), cents, st.booleans()), max_size=20))
def test_booking_by_the_rules_never_pays_more_than_the_invoice(due, moves):
    """Whatever arrives or is reversed, the paid amount stays within [0, due] and no money goes missing."""
    entries: list[Entry] = []
    reversed_: set[int] = set()
    received = Decimal(0)
    for is_payment, amount, surplus_ok in moves:
        open_now = open_amount(due, paid_amount(entries))
        standing = [i for i, e in enumerate(entries) if e.kind is PAY and i not in reversed_]
        if is_payment or not standing:
            try:
                split = split_payment(amount, open_now, overpayment=surplus_ok)
            except ExceedsOpenAmount as exc:
                assert amount > open_now and not surplus_ok and exc.open_amount == open_now
                continue
            entries.append(Entry(PAY, amount, split.credit))
            received += amount
        else:
            original = entries[standing[0]]
            reversed_.add(standing[0])
            entries.append(Entry(REVERSE, original.amount, original.credit))
            received -= original.amount
        assert Decimal(0) <= paid_amount(entries) <= due
        assert paid_amount(entries) + credit_amount(entries) == received
