"""Belgian collection parameters (B2B late-payment law, B2C Book XIX Code of Economic Law), as data."""

from dataclasses import dataclass
from decimal import Decimal

from worker.domain.law.source import Source


@dataclass(frozen=True)
class BelgianB2B:
    """Wet van 2 augustus 2002 betreffende de bestrijding van de betalingsachterstand bij handelstransacties."""

    ecb_margin_points: Decimal = Decimal("8")  # interest = ECB reference rate + 8 points, runs automatically
    fixed_compensation: Decimal = Decimal("40")  # per unpaid invoice, no reminder needed
    max_payment_term_days: int = 60
    source: Source = Source("Wet 2 augustus 2002 art. 5-6; shared/domain.md", verify=True)


@dataclass(frozen=True)
class DamagesBand:
    """B2C damages cap: `fixed` plus `rate` percent of the amount above `above`, for amounts up to `upto`."""

    upto: Decimal | None
    above: Decimal
    fixed: Decimal
    rate: Decimal


@dataclass(frozen=True)
class BelgianB2C:
    """Book XIX CEL (law of 4 May 2023, in force 1 September 2023): the free first reminder and capped damages."""

    first_reminder_free: bool = True
    grace_days: int = 14
    post_starts_on_working_day: int = 3  # the 14 days start on the third working day after posting
    email_starts_after_days: int = 1  # ... or on the day after an e-mail was sent
    further_reminder_max: Decimal = Decimal("7.50")  # plus postage
    damages: tuple[DamagesBand, ...] = (
        DamagesBand(Decimal("150"), Decimal("0"), Decimal("20"), Decimal("0")),
        DamagesBand(Decimal("500"), Decimal("150"), Decimal("30"), Decimal("10")),
        DamagesBand(None, Decimal("500"), Decimal("65"), Decimal("5")),
    )
    damages_maximum: Decimal = Decimal("2000")
    source: Source = Source(
        "Art. XIX.2-XIX.4 CEL (wet 4 mei 2023); summaries by Dal & De Wolf, Lex4u, Teamleader (Sept. 2023)"
    )


B2B = BelgianB2B()
B2C = BelgianB2C()
