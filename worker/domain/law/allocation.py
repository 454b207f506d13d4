"""Allocate a part payment to costs, then interest, then principal (art. 6:44 BW)."""

from dataclasses import dataclass
from decimal import Decimal

from worker.domain.money import cents


@dataclass(frozen=True)
class Allocation:
    """How a payment was applied, what remains open, and any surplus to refund or hold."""

    to_costs: Decimal
    to_interest: Decimal
    to_principal: Decimal
    costs_left: Decimal
    interest_left: Decimal
    principal_left: Decimal
    surplus: Decimal

    @property
    def open_total(self) -> Decimal:
        return self.costs_left + self.interest_left + self.principal_left


def allocate_part_payment(amount: Decimal, costs: Decimal, interest: Decimal, principal: Decimal) -> Allocation:
    """Apply `amount` in the statutory order; all figures are rounded half-up to cents first."""
    values = [cents(v) for v in (amount, costs, interest, principal)]
    if any(v < 0 for v in values):
        raise ValueError("amounts cannot be negative")
    left, *debts = values
    applied = []
    for debt in debts:
        part = min(left, debt)
        applied.append(part)
        left -= part
    return Allocation(
        to_costs=applied[0], to_interest=applied[1], to_principal=applied[2],
        costs_left=debts[0] - applied[0], interest_left=debts[1] - applied[1],
        principal_left=debts[2] - applied[2], surplus=left,
    )
