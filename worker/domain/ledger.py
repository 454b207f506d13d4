"""The money rules of one invoice: what is paid follows from payment and reversal events, never from a counter."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from worker.domain.status import InvoiceStatus

ZERO = Decimal("0.00")


class EntryKind(StrEnum):
    """A payment received, or the reversal (correction) of one."""

    PAYMENT = "payment"
    REVERSAL = "reversal"


@dataclass(frozen=True)
class Entry:
    """One immutable money event: `amount` received (or taken back), of which `credit` went beyond what was open."""

    kind: EntryKind
    amount: Decimal
    credit: Decimal = ZERO

    @property
    def applied(self) -> Decimal:
        """What the event did to the invoice: the credit part never counts as paying it."""
        sign = 1 if self.kind is EntryKind.PAYMENT else -1
        return sign * (self.amount - self.credit)


@dataclass(frozen=True)
class Split:
    """How a payment lands: `applied` pays the invoice, `credit` is the surplus kept for the debtor."""

    applied: Decimal
    credit: Decimal


class ExceedsOpenAmount(ValueError):
    """More was paid than is open and nobody said the surplus is meant as a credit."""

    def __init__(self, open_amount: Decimal) -> None:
        super().__init__(f"the payment is more than the open amount {open_amount}")
        self.open_amount = open_amount


def paid_amount(entries: Iterable[Entry]) -> Decimal:
    """The paid amount of an invoice, derived from all of its events."""
    return sum((e.applied for e in entries), ZERO)


def credit_amount(entries: Iterable[Entry]) -> Decimal:
    """The surplus still held as the debtor's credit (a reversal takes its payment's credit back too)."""
    return sum(((e.credit if e.kind is EntryKind.PAYMENT else -e.credit) for e in entries), ZERO)


def open_amount(amount_due: Decimal | None, paid: Decimal) -> Decimal:
    """What is still to pay; never below zero (a surplus is a credit, not a negative open amount)."""
    return max((amount_due or ZERO) - paid, ZERO)


def split_payment(amount: Decimal, open_now: Decimal, *, overpayment: bool) -> Split:
    """Apply a payment up to the open amount; beyond it only when the surplus is explicitly accepted as credit."""
    if amount <= 0:
        raise ValueError("the amount paid must be positive")
    if amount <= open_now:
        return Split(amount, ZERO)
    if not overpayment:
        raise ExceedsOpenAmount(open_now)
    return Split(open_now, amount - open_now)


def status_after(status: InvoiceStatus, open_after: Decimal) -> InvoiceStatus:
    """The status once a payment or reversal is booked: nothing left open means paid; a paid invoice that is
    open again (a reversal) goes back on the ladder; a credited invoice stays credited."""
    if status is InvoiceStatus.CREDITED:
        return status
    if open_after <= 0:
        return InvoiceStatus.PAID
    if status is InvoiceStatus.PAID:
        return InvoiceStatus.OPEN
    return status
