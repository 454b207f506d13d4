"""The parsed invoice, its parties and its problems, with the JSON form `dunning parse-invoice` prints."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class Party:
    """Seller or buyer as printed on the invoice; every field may be unknown.

    `address` is the printable postal block without the name: lines joined with "\n" (street and number,
    postcode and city, the country's name when it is abroad); `country` is its ISO 3166-1 alpha-2 code."""

    name: str | None = None
    email: str | None = None
    general_email: str | None = None
    vat_id: str | None = None
    kvk: str | None = None
    iban: str | None = None
    address: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class Problem:
    """Something wrong with or missing from an invoice, in words a finance clerk can act on."""

    code: str
    field: str | None
    message: str


def _money(value: Decimal | None) -> str | None:
    return None if value is None else f"{value.quantize(Decimal('0.01'))}"


@dataclass(frozen=True)
class ParsedInvoice:
    """The facts read from one invoice document."""

    invoice_number: str | None = None
    issue_date: date | None = None
    due_date: date | None = None
    payment_terms_days: int | None = None
    currency: str | None = None
    amount_due: Decimal | None = None
    total_excl_vat: Decimal | None = None
    vat_total: Decimal | None = None
    is_credit_note: bool = False
    seller: Party = field(default_factory=Party)
    buyer: Party = field(default_factory=Party)
    payment_reference: str | None = None
    source: str = "pdf-text"
    confidence: dict[str, float] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    filename: str | None = None
    language: str | None = None  # "nl", "en", "de" or "fr": the language the invoice is written in

    def to_json(self) -> dict[str, Any]:
        """The JSON object of issue 4 (ISO dates, decimal strings, null where unknown)."""
        return {
            "invoice_number": self.invoice_number,
            "issue_date": self.issue_date.isoformat() if self.issue_date else None,
            "due_date": self.due_date.isoformat() if self.due_date else None,
            "payment_terms_days": self.payment_terms_days,
            "currency": self.currency,
            "amount_due": _money(self.amount_due),
            "total_excl_vat": _money(self.total_excl_vat),
            "vat_total": _money(self.vat_total),
            "is_credit_note": self.is_credit_note,
            "seller": asdict(self.seller),
            "buyer": asdict(self.buyer),
            "payment_reference": self.payment_reference,
            "language": self.language,
            "source": self.source,
            "confidence": {k: round(v, 2) for k, v in sorted(self.confidence.items())},
            "problems": [asdict(p) for p in self.problems],
        }
