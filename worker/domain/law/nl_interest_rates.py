"""Dutch statutory interest rates per half-year: consumer (art. 6:119 BW) and commercial (art. 6:119a BW)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from worker.domain.law.source import Source

TABLE_VERSION = "2026-07"  # bump with every half-yearly update

_RIJKSOVERHEID = "Rijksoverheid, 'Hoe hoog is de wettelijke rente?' (via shared/domain.md)"
# The official rule (Stb. 2014, 491, nota van toelichting): the ECB main refinancing rate on the last day of
# October / April plus 2.25 points, changes damped; the rule alone does not fix the published figure, so the
# rows after 2025-01 stay marked verify until the Staatsblad decree itself is checked.
_CONSUMER_RULE = "rule per Stb. 2014, 491: ECB main refinancing rate (end Oct / end Apr) + 2.25 points"
_COMMERCIAL_RULE = "commercial = ECB main refinancing rate on 1 Jan / 1 Jul + 8 points (art. 6:119a lid 2 BW)"


@dataclass(frozen=True)
class RatePeriod:
    """Rates (percent per year) in force from `start` until the next row starts.

    `consumer` is None where no figure is known yet: the calculator then carries the previous
    consumer rate forward and flags the period for verification.
    """

    start: date
    consumer: Decimal | None
    commercial: Decimal
    source: Source


RATES: tuple[RatePeriod, ...] = (
    RatePeriod(date(2020, 1, 1), Decimal("2"), Decimal("8"), Source(_RIJKSOVERHEID)),
    RatePeriod(date(2023, 1, 1), Decimal("4"), Decimal("10.5"), Source(_RIJKSOVERHEID)),
    RatePeriod(date(2023, 7, 1), Decimal("6"), Decimal("12"), Source(_RIJKSOVERHEID)),
    RatePeriod(date(2024, 1, 1), Decimal("7"), Decimal("12.5"), Source(_RIJKSOVERHEID)),
    RatePeriod(date(2024, 7, 1), Decimal("7"), Decimal("12.25"), Source(_RIJKSOVERHEID)),
    RatePeriod(date(2025, 1, 1), Decimal("6"), Decimal("11.15"), Source(_RIJKSOVERHEID)),
    # domain.md marks the consumer figure "verify"; the commercial one follows from the ECB rule
    RatePeriod(date(2025, 7, 1), Decimal("6"), Decimal("10.15"),
               Source(f"{_RIJKSOVERHEID}; consumer rate single-sourced; {_CONSUMER_RULE}", verify=True)),
    RatePeriod(date(2026, 1, 1), Decimal("4"), Decimal("10.15"),
               Source(f"{_RIJKSOVERHEID}; consumer rate single-sourced", verify=True)),
    RatePeriod(date(2026, 7, 1), None, Decimal("10.40"),
               Source(f"{_COMMERCIAL_RULE}; consumer rate not yet known, commercial single-sourced", verify=True)),
)
