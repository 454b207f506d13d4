"""The `money` and `date` template filters, localised with babel for the letter's language."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date as date_type
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_date
from babel.numbers import format_currency, format_percent

# en_GB, not en_US: European readers expect "26 November 2026", and babel gives "€1,234.56" for both.
# French letters are written for Belgium (fr_BE: "1 234,56 €"); German ones for Germany and East Belgium alike.
LOCALES = {"nl": "nl_NL", "en": "en_GB", "fr": "fr_BE", "de": "de_DE"}


def locale_for(language: str) -> str:
    try:
        return LOCALES[language]
    except KeyError:
        raise ValueError(f"unsupported language {language!r}; use one of {', '.join(LOCALES)}") from None


def money(amount: Any, currency: str, language: str) -> str:
    """`€ 1.234,56` (nl) or `€1,234.56` (en); amounts are never floats in our data, so str() is exact."""
    if amount is None:
        raise ValueError("money: the amount is empty")
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        raise ValueError(f"money: {amount!r} is not an amount") from None
    # A plain space instead of babel's no-break space: the plain-text body must read the same as the contract.
    # (French groups thousands with a narrow no-break space, which plain-text readers show oddly.)
    return format_currency(value, currency, locale=locale_for(language)).replace("\xa0", " ").replace("\u202f", " ")


def date(value: Any, language: str) -> str:
    """`26 november 2026` (nl) or `26 November 2026` (en); an empty optional date renders as nothing."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date_type):
        raise ValueError(f"date: {value!r} is not a date")
    return format_date(value, "long", locale=locale_for(language))


def percent(value: Any, language: str) -> str:
    """`10,15%` (nl), `10.15%` (en), `10,15 %` (fr, de): a rate given in percent, in the letter's language; an
    empty rate renders as nothing."""
    if value is None:
        return ""
    text = format_percent(Decimal(str(value)) / 100, locale=locale_for(language), decimal_quantization=False)
    return text.replace("\xa0", " ")


def filters_for(language: str) -> dict[str, Callable[..., str]]:
    """The filters bound to one language, as Jinja expects them."""
    locale_for(language)  # fail early on an unknown language

    def money_filter(amount: Any, currency: str = "EUR") -> str:
        return money(amount, currency, language)

    def date_filter(value: Any) -> str:
        return date(value, language)

    def percent_filter(value: Any) -> str:
        return percent(value, language)

    return {"money": money_filter, "date": date_filter, "percent": percent_filter}
