"""Belgian interest rates as data: the legal (civil) rate per year and the commercial rate per half-year."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from worker.domain.law.source import Source

# Civil rate: average one-year Euribor of the previous December, rounded up to a quarter point, plus 2
# points (art. 2 § 1 Wet van 5 mei 1865 betreffende de lening tegen intrest), published by FOD Financiën.
_CIVIL_RULE = "art. 2 § 1 Wet 5 mei 1865; FOD Financiën notice in the Belgisch Staatsblad"
# Commercial rate: the ECB reference rate plus 8 points, rounded up to the next half point (Wet 2 augustus 2002,
# art. 5), announced every half-year by FOD Economie; domain.md: "ECB rate + 8 points".
_COMMERCIAL_RULE = "Wet 2 augustus 2002 art. 5 (ECB rate + 8 points); FOD Economie half-yearly notice"
_LAWBASE = "lawbase.be interest calculator, table 'Actuele Interesttarieven 2025/2026' citing FOD Financiën / NBB"


@dataclass(frozen=True)
class BelgianRate:
    """Rate (percent per year) from `start` until the next row of the same table starts."""

    start: date
    rate: Decimal
    source: Source


LEGAL: tuple[BelgianRate, ...] = (
    BelgianRate(date(2023, 1, 1), Decimal("5.25"), Source(f"{_CIVIL_RULE}; Wolters Kluwer news 31/01/2023")),
    # 2024: no second source found in the time available; carried forward from 2023 until verified.
    BelgianRate(date(2024, 1, 1), Decimal("5.25"), Source(f"{_CIVIL_RULE}; 2023 figure carried forward", verify=True)),
    BelgianRate(date(2025, 1, 1), Decimal("4.50"), Source(f"{_CIVIL_RULE}; {_LAWBASE}")),
    BelgianRate(date(2026, 1, 1), Decimal("4.50"), Source(f"{_CIVIL_RULE}; 2025 figure carried forward", verify=True)),
)

COMMERCIAL: tuple[BelgianRate, ...] = (
    BelgianRate(date(2024, 1, 1), Decimal("12.50"), Source(f"{_COMMERCIAL_RULE}; ECB 4.50 + 8", verify=True)),
    BelgianRate(
        date(2024, 7, 1), Decimal("12.50"), Source(f"{_COMMERCIAL_RULE}; ECB 4.25 + 8 rounded up", verify=True)
    ),
    BelgianRate(date(2025, 1, 1), Decimal("11.50"), Source(f"{_COMMERCIAL_RULE}; {_LAWBASE}")),
    BelgianRate(date(2025, 7, 1), Decimal("10.50"), Source(f"{_COMMERCIAL_RULE}; {_LAWBASE}")),
    BelgianRate(
        date(2026, 1, 1), Decimal("10.50"), Source(f"{_COMMERCIAL_RULE}; 2025-H2 carried forward", verify=True)
    ),
)


def rate_on(table: tuple[BelgianRate, ...], day: date) -> BelgianRate:
    """The row in force on `day` (the first row for earlier days: the table starts before any claim we make)."""
    rows = [r for r in table if r.start <= day]
    return rows[-1] if rows else table[0]
