"""SWIFT MT940 statements: the `mt-940` library reads the fields, parsers.bank.field86 the banks' field 86.

Rabobank puts the counterparty IBAN on the line after `:61:`; the others put it in field 86.
"""

import re
from decimal import Decimal

import mt940

from parsers.bank.field86 import details, keyed
from parsers.bank.model import Statement, StatementLine
from parsers.bank.reference import find_references

_IBAN = re.compile(r"\b([A-Z]{2}\d{2}[A-Z0-9]{10,30})\b")


class Mt940Unreadable(ValueError):
    """Not an MT940 file the library can read."""


def is_mt940(data: bytes) -> bool:
    head = data[:4000]
    return b":20:" in head and b":25:" in head and b":61:" in data


def _account(identification: str | None) -> str | None:
    if not identification:
        return None
    compact = identification.replace(" ", "").upper()
    return compact[:-3] if re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+[A-Z]{3}", compact) and len(compact) > 18 else compact


def read_mt940(data: bytes) -> Statement:
    """Every transaction (`:61:` with its `:86:`) in file order."""
    try:
        parsed = mt940.parse(data, options=mt940.Options(applicant_iban=True, unbounded_details=True,
                                                         case_insensitive_marks=True))
    except Exception as exc:  # the library raises plain errors on malformed input
        raise Mt940Unreadable(f"the MT940 file cannot be read ({exc})") from None
    account = _account(parsed.data.get("account_identification"))
    lines = []
    for tx in parsed:
        d = tx.data
        status = (d.get("status") or "").upper()
        text = d.get("transaction_details") or ""
        name, iban, remittance = details(text)
        if iban is None:  # Rabobank puts the counterparty account on the line after :61:
            extra = _IBAN.search((d.get("extra_details") or "").replace(" ", ""))
            iban = extra.group(1) if extra else None
        refs = find_references(" ".join(text.split()))
        amount: Decimal = d["amount"].amount
        lines.append(StatementLine(
            account_iban=account, booking_date=d.get("entry_date") or d["date"], amount=abs(amount),
            credit=status in ("C", "RD"), currency=d["amount"].currency or "EUR",
            bank_reference=d.get("bank_reference") or None, counterparty_name=name, counterparty_iban=iban,
            remittance=remittance, creditor_reference=next(iter(refs), None),
            reversal=status in ("RC", "RD") or "/RTRN/" in text,
            end_to_end_id=keyed(" ".join(text.split())).get("EREF")))
    return Statement(format="mt940", lines=tuple(lines), account_iban=account)
