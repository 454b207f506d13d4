"""The SEPA credit-transfer QR payload (EPC069-12, version 002) a banking app reads to pre-fill a payment."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from stdnum import bic as bic_number
from stdnum import iban as iban_number
from stdnum import iso11649

MAX_AMOUNT = Decimal("999999999.99")
MAX_BYTES = 331  # the standard's limit for the whole payload


def epc_payload(*, name: str, iban: str, amount: Decimal | None, reference: str | None = None,
                bic: str | None = None, currency: str = "EUR") -> str | None:
    """The payload, or None when no valid SEPA QR code can be made (no valid IBAN, not EUR, amount out of range).

    A reference that is a valid RF creditor reference (ISO 11649) goes in the structured-reference field;
    any other reference goes in the free-text field (the standard allows one or the other, not both).
    """
    if currency != "EUR" or not iban or not name or not iban_number.is_valid(iban):
        return None
    try:
        value = Decimal(str(amount)).quantize(Decimal("0.01"), ROUND_HALF_UP) if amount is not None else None
    except InvalidOperation:
        return None
    if value is not None and not Decimal("0.01") <= value <= MAX_AMOUNT:
        return None
    reference = " ".join((reference or "").split())
    structured = iso11649.compact(reference) if reference and iso11649.is_valid(reference) else ""
    text = "" if structured else reference[:140]
    lines = [
        "BCD", "002", "1", "SCT",
        bic_number.compact(bic) if bic and bic_number.is_valid(bic) else "",
        " ".join(name.split())[:70],
        iban_number.compact(iban),
        f"EUR{value}" if value is not None else "",
        "",  # purpose code: none
        structured,
        text,
    ]
    while lines[-1] == "":  # trailing empty fields may be left off
        lines.pop()
    payload = "\n".join(lines)
    return payload if len(payload.encode("utf-8")) <= MAX_BYTES else None
