"""The Dutch WIK staffel for extrajudicial collection costs (art. 6:96 BW and its Besluit), as data."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from worker.domain.law.source import Source


@dataclass(frozen=True)
class Tier:
    """`rate` percent over the part of the principal between `lower` and `upper` (None: no upper bound)."""

    lower: Decimal
    upper: Decimal | None
    rate: Decimal


@dataclass(frozen=True)
class Staffel:
    """One version of the staffel, in force from `in_force`."""

    in_force: date
    tiers: tuple[Tier, ...]
    minimum: Decimal
    maximum: Decimal
    source: Source


WIK_2012 = Staffel(
    in_force=date(2012, 7, 1),
    tiers=(
        Tier(Decimal("0"), Decimal("2500"), Decimal("15")),
        Tier(Decimal("2500"), Decimal("5000"), Decimal("10")),
        Tier(Decimal("5000"), Decimal("10000"), Decimal("5")),
        Tier(Decimal("10000"), Decimal("200000"), Decimal("1")),
        Tier(Decimal("200000"), None, Decimal("0.5")),
    ),
    minimum=Decimal("40"),
    maximum=Decimal("6775"),
    source=Source("Besluit vergoeding voor buitengerechtelijke incassokosten, art. 2 (Stb. 2012, 141); art. 6:96 BW"),
)

STAFFELS: tuple[Staffel, ...] = (WIK_2012,)
