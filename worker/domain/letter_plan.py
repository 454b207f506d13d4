"""Every decision behind one letter, taken in one pure place: template, recipients, claim, pay-by date, language.

The adapter that renders the letter only translates these decisions into the template's placeholders.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from worker.domain.addressing import Addressing, address_letter
from worker.domain.law.claim import COUNTRIES, Claim, DebtorLaw, Principal, claim_for
from worker.domain.step import Step

# The pay-by date of a letter whose step states no deadline of its own: long enough to arrange a payment run.
LETTER_DEADLINE = timedelta(days=7)
LANGUAGES = ("nl", "en", "fr", "de")
# Ladder letters a broken promise replaces by its own letter. Not the 14-day letter: the law needs that one as
# it is (it mentions the promise itself); nor copies, plans or thanks, which answer something else.
LADDER_LETTERS = frozenset({"reminder", "firm_reminder", "last_reminder", "final_notice"})


@dataclass(frozen=True)
class DebtorContact:
    contact: str
    general: str | None
    contact_undeliverable: bool
    consumer: bool


@dataclass(frozen=True)
class LetterPlan:
    template: str
    addressing: Addressing
    claim: Claim
    deadline: date | None  # the pay-by date printed in the letter


def law_country(debtor_country: str | None, business_country: str | None, invoice_country: str | None) -> str:
    """Whose collection law applies: the country a person set on the debtor; else the business's chosen country
    (its regime, set through PATCH /business); else the buyer's country read from the invoice; else NL."""
    for country in (debtor_country, business_country, invoice_country):
        if country and country.upper() in COUNTRIES:
            return country.upper()
    return "NL"


def letter_language(debtor_language: str | None, invoice_language: str | None, business_language: str | None) -> str:
    """The debtor's language (set by a person or learnt from its replies), else the invoice's, else the business's."""
    for language in (debtor_language, invoice_language, business_language):
        if language and language.lower() in LANGUAGES:
            return language.lower()
    return "nl"


def broken_promise(promised: date | None, promised_at: date | None, last_letter_on: date | None) -> date | None:
    """The promised date when the debtor promised after our last letter and the ladder now runs again."""
    if promised is None or promised_at is None:
        return None
    return promised if last_letter_on is None or last_letter_on <= promised_at else None


def plan_letter(step: Step, law: DebtorLaw, debtor: DebtorContact, principals: Sequence[Principal], today: date,
                *, deadline: date | None = None, term_last_day: date | None = None,
                promise_broken_on: date | None = None) -> LetterPlan:
    """The letter for `step` on `today`; `promise_broken_on` is the date a broken promise named (None: none)."""
    assert step.template is not None
    template = "promise_broken" if promise_broken_on is not None and step.name in LADDER_LETTERS else step.template
    addressing = address_letter(contact=debtor.contact, general=debtor.general,
                                contact_undeliverable=debtor.contact_undeliverable, consumer=debtor.consumer,
                                to_general_address=step.to_general_address)
    claim = claim_for(law, principals, today, claims_now=step.claims, term_last_day=term_last_day)
    return LetterPlan(template, addressing, claim, deadline or today + LETTER_DEADLINE)
