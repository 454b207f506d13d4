"""What a remittance advice says: one line per invoice paid, and the error for an attachment we cannot read."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class RemittanceLine:
    """One invoice and the amount the payer says it paid for it (a part payment when less than the invoice)."""

    invoice_number: str
    amount: Decimal

    def to_json(self) -> dict[str, str]:
        return {"invoice_number": self.invoice_number, "amount": str(self.amount)}


class UnreadableRemittance(ValueError):
    """An attachment that should hold remittance lines but cannot be read; `reason` is for a finance clerk."""

    def __init__(self, reason: str, filename: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.filename = filename
