"""The term of a 14-day letter (NL 14-dagenbrief, BE first reminder): when it starts, ends, and costs may run."""

from collections.abc import Set
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from worker.domain.law.belgium import B2C
from worker.domain.law.source import Source

Channel = Literal["email", "letter"]

TERM_DAYS = 14
# PostNL's norm is delivery the next delivery day (none on Sundays and Mondays). We assume two delivery
# days because a term counted too short voids the costs, while a term counted too long costs a day or two.
NL_POST_DELIVERY_DAYS = 2
NL_DELIVERY_WEEKDAYS = frozenset({1, 2, 3, 4, 5})  # Tuesday .. Saturday
WORKING_WEEKDAYS = frozenset({0, 1, 2, 3, 4})

NL_SOURCE = Source(
    "art. 6:96 lid 6 BW; HR 13 juli 2018, ECLI:NL:HR:2018:1199 (term starts the day after receipt); "
    "art. 3:37 lid 3 BW (receipt); Algemene termijnenwet art. 1 (last day on a weekend or holiday moves on); "
    "PostNL next-day norm per voorbeeldcontract.nl (June 2017)", verify=True)


@dataclass(frozen=True)
class FourteenDayTerm:
    """`first_day` .. `last_day` is the debtor's term; costs may be charged from `costs_from`."""

    country: str
    channel: Channel
    sent_on: date
    receipt_on: date | None  # NL: the day we take the letter as received; BE counts from sending
    first_day: date
    last_day: date
    source: Source

    @property
    def costs_from(self) -> date:
        return self.last_day + timedelta(days=1)


def _next_day(day: date, weekdays: frozenset[int], holidays: Set[date]) -> date:
    day += timedelta(days=1)
    while day.weekday() not in weekdays or day in holidays:
        day += timedelta(days=1)
    return day


def fourteen_day_term(
    sent_on: date, channel: Channel, country: str, holidays: Set[date] = frozenset()
) -> FourteenDayTerm:
    """The term for a letter sent on `sent_on`; `holidays` are the public holidays of `country`."""
    if country == "NL":
        receipt = sent_on  # an e-mail reaches the debtor's mailbox the day it is sent (in business hours)
        if channel == "letter":
            for _ in range(NL_POST_DELIVERY_DAYS):
                receipt = _next_day(receipt, NL_DELIVERY_WEEKDAYS, holidays)
        first = receipt + timedelta(days=1)
        last = first + timedelta(days=TERM_DAYS - 1)
        while last.weekday() not in WORKING_WEEKDAYS or last in holidays:
            last += timedelta(days=1)
        return FourteenDayTerm(country, channel, sent_on, receipt, first, last, NL_SOURCE)
    if country == "BE":
        if channel == "email":
            first = sent_on + timedelta(days=B2C.email_starts_after_days)
        else:
            first = sent_on
            for _ in range(B2C.post_starts_on_working_day):
                first = _next_day(first, WORKING_WEEKDAYS, holidays)
        last = first + timedelta(days=B2C.grace_days - 1)
        return FourteenDayTerm(country, channel, sent_on, None, first, last, B2C.source)
    raise ValueError(f"no 14-day letter rules for country {country!r} (known: NL, BE)")
