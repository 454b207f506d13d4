"""The money and date filters, per language."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from letter_templates.filters import date as date_filter
from letter_templates.filters import filters_for, money


@pytest.mark.parametrize(("amount", "currency", "language", "expected"), [
    (Decimal("1234.56"), "EUR", "nl", "€ 1.234,56"),
    (Decimal("1234.56"), "EUR", "en", "€1,234.56"),
    (Decimal("0.5"), "EUR", "nl", "€ 0,50"),
    (Decimal("1000000"), "EUR", "en", "€1,000,000.00"),
    (Decimal("-12.30"), "EUR", "nl", "€ -12,30"),
    ("99.99", "EUR", "en", "€99.99"),
    (40, "EUR", "nl", "€ 40,00"),
    (Decimal("10"), "USD", "en", "US$10.00"),
])
def test_money(amount, currency: str, language: str, expected: str) -> None:
    assert money(amount, currency, language) == expected


def test_money_refuses_empty_and_non_amounts() -> None:
    with pytest.raises(ValueError, match="empty"):
        money(None, "EUR", "nl")
    with pytest.raises(ValueError, match="not an amount"):
        money("veel", "EUR", "nl")


@pytest.mark.parametrize(("value", "language", "expected"), [
    (date(2026, 11, 26), "nl", "26 november 2026"),
    (date(2026, 11, 26), "en", "26 November 2026"),
    (datetime(2027, 3, 1, 14, 30), "nl", "1 maart 2027"),
    (None, "en", ""),
])
def test_date(value, language: str, expected: str) -> None:
    assert date_filter(value, language) == expected


def test_date_refuses_text() -> None:
    with pytest.raises(ValueError, match="not a date"):
        date_filter("2026-11-26", "nl")


def test_filters_are_bound_to_a_language_and_unknown_languages_fail_early() -> None:
    assert filters_for("en")["money"](Decimal("5")) == "€5.00"
    with pytest.raises(ValueError, match="unsupported language 'sv'"):
        filters_for("sv")
