"""The maximum damages a Belgian creditor may claim from a consumer after the free first reminder."""

from decimal import Decimal

from worker.domain.law.belgium import B2C
from worker.domain.money import cents


def belgian_consumer_damages(amount_due: Decimal) -> Decimal:
    """The cap for the outstanding `amount_due` (art. XIX.4 CEL): banded fixed sum plus a percentage, max EUR 2,000."""
    for band in B2C.damages:
        if band.upto is None or amount_due <= band.upto:
            raw = band.fixed + (amount_due - band.above) * band.rate / 100
            return cents(min(raw, B2C.damages_maximum))
    raise AssertionError("the last band has no upper bound")
