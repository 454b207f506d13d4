"""Money as Decimal euros, rounded half-up to cents at the points the calculators document."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def cents(amount: Decimal) -> Decimal:
    """Round to whole cents, half up (the way Dutch courts and calculators present amounts)."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def parse_amount(text: str) -> Decimal:
    """Read an amount a person typed: `1234.56`, `1234,56`, `1.234,56` or `1,234.56`."""
    cleaned = text.strip().replace("€", "").replace(" ", "")
    if "," in cleaned and "." in cleaned:
        # the separator that comes last is the decimal one
        thousands = "." if cleaned.rfind(",") > cleaned.rfind(".") else ","
        cleaned = cleaned.replace(thousands, "")
    cleaned = cleaned.replace(",", ".")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not an amount; write it like 1234.56") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{text!r} is not a positive amount")
    return value
