"""What a letter may claim from one debtor under the law of its country: interest, costs, and when.

NL consumer: statutory interest (6:119) and WIK costs, the costs only after the 14-dagenbrief's term.
NL business: commercial interest (6:119a) and EUR 40 per invoice (6:96 lid 4), or the WIK staffel where the
business chooses it. BE consumer (Book XIX CEL): nothing before the free first reminder's term has run; then
interest at the legal rate and the capped flat damages. BE business (Wet 2 augustus 2002): interest at the
commercial rate and EUR 40 per invoice. A business that does not charge costs claims neither.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Literal

from worker.domain.law import be_interest_rates
from worker.domain.law.allocation import Allocation, allocate_part_payment
from worker.domain.law.be_damages import belgian_consumer_damages
from worker.domain.law.belgium import B2B as BE_B2B
from worker.domain.law.collection_costs import collection_costs
from worker.domain.law.interest import statutory_interest, statutory_rate
from worker.domain.law.nl_compensation import B2B_MINIMUM
from worker.domain.law.simple_interest import simple_interest
from worker.domain.money import cents

InterestKind = Literal["nl_consumer", "nl_commercial", "be_legal", "be_commercial"]
CostsKind = Literal["wik", "compensation", "be_damages"]
COUNTRIES = ("NL", "BE")


@dataclass(frozen=True)
class DebtorLaw:
    """Whose law and which regime: `charges` False means the business claims no costs and no interest."""

    country: str = "NL"
    consumer: bool = False
    charges: bool = True
    b2b_costs: Literal["compensation", "wik"] = "compensation"  # NL businesses may choose the WIK staffel

    @property
    def needs_term_letter(self) -> bool:
        """A consumer must have had a 14-day letter (NL) or the free first reminder (BE) before any cost."""
        return self.consumer and self.charges


@dataclass(frozen=True)
class Principal:
    """One invoice's amount, what was paid on it, and its due date."""

    amount_due: Decimal
    paid: Decimal
    due_date: date


@dataclass(frozen=True)
class Claim:
    law: DebtorLaw
    interest_kind: InterestKind | None
    interest_rate: Decimal | None
    interest: Decimal  # accrued to the letter date
    costs: Decimal  # announced, or claimed when `costs_due`
    costs_kind: CostsKind | None
    costs_due: bool  # the letter claims the costs (and interest) now
    costs_from: date | None  # first day costs may be charged
    received: Allocation  # part payments applied costs → interest → principal (6:44 BW)

    @property
    def total(self) -> Decimal:
        """What the letter asks for: what remains after the payments were applied."""
        return self.received.open_total


def _interest(law: DebtorLaw, principals: Sequence[Principal], today: date, start_after: date | None
              ) -> tuple[InterestKind, Decimal, Decimal]:
    if law.country == "BE":
        table = be_interest_rates.LEGAL if law.consumer else be_interest_rates.COMMERCIAL
        kind: InterestKind = "be_legal" if law.consumer else "be_commercial"
        amount = sum((simple_interest(p.amount_due - p.paid, max(p.due_date, start_after or p.due_date)
                                      + timedelta(days=1), today, table) for p in principals), Decimal("0"))
        return kind, be_interest_rates.rate_on(table, today).rate, cents(amount)
    kind = "nl_consumer" if law.consumer else "nl_commercial"
    amount = sum((statutory_interest(p.amount_due - p.paid, p.due_date + timedelta(days=1), today, law.consumer).amount
                  for p in principals if p.due_date + timedelta(days=1) < today), Decimal("0"))
    return kind, statutory_rate(today, law.consumer), cents(amount)


def _costs(law: DebtorLaw, principals: Sequence[Principal], today: date) -> tuple[CostsKind, Decimal]:
    open_principal = sum((p.amount_due - p.paid for p in principals), Decimal("0"))
    if law.country == "BE":
        if law.consumer:
            return "be_damages", belgian_consumer_damages(open_principal)
        return "compensation", BE_B2B.fixed_compensation * len(principals)
    if law.consumer or law.b2b_costs == "wik":
        return "wik", collection_costs([p.amount_due - p.paid for p in principals], law.consumer, today).amount
    return "compensation", B2B_MINIMUM * len(principals)


def claim_for(law: DebtorLaw, principals: Sequence[Principal], today: date, *, claims_now: bool,
              term_last_day: date | None = None) -> Claim:
    """The claim for a letter dated `today` about `principals`.

    `claims_now`: the step asks for costs and interest (later steps); earlier steps only announce them.
    `term_last_day`: the last day of the consumer's 14-day term (None: that letter has not gone out yet).
    """
    if law.country not in COUNTRIES:
        raise ValueError(f"no collection rules for country {law.country!r} (known: {', '.join(COUNTRIES)})")
    amount_due = sum((p.amount_due for p in principals), Decimal("0"))
    paid = sum((p.paid for p in principals), Decimal("0"))
    if not law.charges or not principals:
        return Claim(law, None, None, Decimal("0.00"), Decimal("0.00"), None, False, None,
                     allocate_part_payment(paid, Decimal("0"), Decimal("0"), amount_due))
    costs_from = (term_last_day + timedelta(days=1) if term_last_day else None) if law.consumer else \
        min(p.due_date for p in principals) + timedelta(days=1)
    # A Belgian consumer owes no interest before the free reminder's term has run (art. XIX.2 CEL).
    interest_after = term_last_day if law.country == "BE" and law.consumer else None
    kind, rate, interest = _interest(law, principals, today, interest_after)
    if law.country == "BE" and law.consumer and (costs_from is None or today < costs_from):
        interest = Decimal("0.00")
    costs_kind, costs = _costs(law, principals, today)
    due = claims_now and costs_from is not None and today >= costs_from
    received = allocate_part_payment(paid, costs if due else Decimal("0"), interest if due else Decimal("0"),
                                     amount_due)
    return Claim(law, kind, rate, interest, costs, costs_kind, due, costs_from, received)
