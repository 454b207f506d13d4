"""What every statement format is read into: one line per booked transaction."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class StatementLine:
    """One booked transaction as the bank reports it; `amount` is always positive, `credit` says the direction."""

    account_iban: str | None
    booking_date: date
    amount: Decimal
    credit: bool
    currency: str
    bank_reference: str | None = None  # the bank's own id for the transaction (AcctSvcrRef, MT940 :61: ref)
    counterparty_name: str | None = None
    counterparty_iban: str | None = None
    remittance: str = ""  # unstructured remittance information, as sent by the payer
    creditor_reference: str | None = None  # structured reference (ISO 11649 RF or Belgian OGM), compact
    reversal: bool = False  # a chargeback or returned direct debit: takes back an earlier credit
    end_to_end_id: str | None = None


@dataclass(frozen=True)
class Statement:
    """A statement file read: its format and its lines (credits and debits, in file order)."""

    format: str  # camt.053 | camt.054 | mt940 | csv-rabobank | csv-ing | csv-abnamro
    lines: tuple[StatementLine, ...] = field(default_factory=tuple)
    account_iban: str | None = None
