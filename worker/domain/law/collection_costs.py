"""Dutch extrajudicial collection costs (WIK staffel) for all open principals of one debtor."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from worker.domain.law.wik_staffel import STAFFELS, Staffel
from worker.domain.money import cents


@dataclass(frozen=True)
class TierCharge:
    """What one tier of the staffel contributes: `rate` percent of `base`."""

    lower: Decimal
    upper: Decimal | None
    rate: Decimal
    base: Decimal
    amount: Decimal


@dataclass(frozen=True)
class CostsResult:
    """The collection costs, how the staffel produced them, and the conditions for charging them."""

    amount: Decimal
    principal: Decimal
    tiers: tuple[TierCharge, ...]
    minimum_applied: bool
    maximum_applied: bool
    consumer: bool
    staffel: Staffel

    @property
    def notes(self) -> tuple[str, ...]:
        if self.consumer:
            return ("chargeable only after a 14-day letter (14-dagenbrief) stating this exact amount, "
                    "once its 14 days, counted from the day after receipt, have passed (art. 6:96 lid 6 BW)",)
        return ("business debtor: at least EUR 40 is due from the day after the due date without a reminder "
                "(art. 6:96 lid 4 BW); the staffel applies unless other costs were agreed",)


def staffel_on(day: date) -> Staffel:
    """The staffel in force on `day`."""
    in_force = [s for s in STAFFELS if s.in_force <= day]
    if not in_force:
        raise ValueError(f"no WIK staffel was in force on {day.isoformat()} (it started 2012-07-01)")
    return max(in_force, key=lambda s: s.in_force)


def collection_costs(principals: Sequence[Decimal], consumer: bool, on: date) -> CostsResult:
    """Apply the staffel to the sum of a debtor's principals (claims in one letter are added, art. 6:96 lid 7).

    Rounding: each tier's amount is rounded half-up to cents, the total is their sum, then the
    minimum and maximum are applied. VAT is not included (add it only if the creditor cannot deduct it).
    """
    if any(p < 0 for p in principals):
        raise ValueError("a principal cannot be negative")
    principal = sum(principals, Decimal("0"))
    staffel = staffel_on(on)
    charges = []
    for tier in staffel.tiers:
        top = principal if tier.upper is None else min(principal, tier.upper)
        base = max(Decimal("0"), top - tier.lower)
        if base == 0:
            break
        charges.append(TierCharge(tier.lower, tier.upper, tier.rate, cents(base), cents(base * tier.rate / 100)))
    raw = sum((c.amount for c in charges), Decimal("0"))
    amount = min(max(raw, staffel.minimum), staffel.maximum)
    return CostsResult(
        amount=cents(amount), principal=cents(principal), tiers=tuple(charges),
        minimum_applied=raw < staffel.minimum, maximum_applied=raw > staffel.maximum,
        consumer=consumer, staffel=staffel,
    )
