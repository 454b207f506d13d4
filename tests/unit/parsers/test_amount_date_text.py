"""Amounts and dates in the number and date forms of nl, en, de and fr."""

from datetime import date
from decimal import Decimal

import pytest

from parsers.amount_text import currency_in, parse_amount
from parsers.date_text import parse_date


@pytest.mark.parametrize(("text", "expected"), [
    ("€ 1.234,56", "1234.56"), ("1,234.56 €", "1234.56"), ("€1,234.56", "1234.56"), ("189,00", "189.00"),
    ("€ 189,00-", "-189.00"), ("-8,79 €", "-8.79"), ("EUR 34,73", "34.73"), ("$ 279.84", "279.84"),
    ("1.234.567,89", "1234567.89"), ("12.50", "12.50"), ("Te betalen € 0,00", "0.00"),
])
def test_amount_forms(text, expected):
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(("text", "code"), [("Totaal € 10,00", "EUR"), ("Total $12.00", "USD"),
                                             ("Betrag 11,07 CHF", "CHF"), ("Amount 5.00 GBP", "GBP")])
def test_currency_by_symbol_or_code(text, code):
    assert currency_in(text) == code


@pytest.mark.parametrize(("text", "expected"), [
    ("15-03-2025", date(2025, 3, 15)), ("15.03.2025", date(2025, 3, 15)), ("21.05.14", date(2014, 5, 21)),
    ("2025-03-15", date(2025, 3, 15)), ("15 maart 2025", date(2025, 3, 15)), ("7. Mai 2014", date(2014, 5, 7)),
    ("1er novembre 2017", date(2017, 11, 1)), ("29 oktober 2015", date(2015, 10, 29)),
    ("Jan 31, 2022", date(2022, 1, 31)), ("31 December 2024", date(2024, 12, 31)), ("3 mrt. 2025", date(2025, 3, 3)),
    ("14 févr. 2025", date(2025, 2, 14)), ("25/12/2025", date(2025, 12, 25)), ("12/25/2025", date(2025, 12, 25)),
])
def test_date_forms(text, expected):
    assert parse_date(text) == expected


def test_us_order_only_when_asked():
    assert parse_date("03/04/2025") == date(2025, 4, 3)
    assert parse_date("03/04/2025", us_order=True) == date(2025, 3, 4)
    assert parse_date("13/04/2025", us_order=True) == date(2025, 4, 13)


@pytest.mark.parametrize("text,expected", [
    ("1 210,00 €", ["1210.00"]),
    ("€ 60 783,68", ["60783.68"]),
    ("EUR 1 234 567.89", ["1234567.89"]),
    ("Montant à payer 60 783,68", ["60783.68"]),
    ("Total\u20091\u2009210,00", ["1210.00"]),
    # A plain space between a quantity and a price stays a separator between two figures.
    ("Widget 2 100,00 200,00", ["2", "100.00", "200.00"]),
    ("Qty 3 1 210,00 €", ["3", "1210.00"]),
    ("12 345", ["12", "345"]),
])
def test_space_as_thousands_separator_where_it_is_safe(text, expected):
    from parsers.amount_text import find_amounts
    assert [str(a.value) for a in find_amounts(text)] == expected


@pytest.mark.parametrize("text,expected", [
    ("7 marca 2026", date(2026, 3, 7)), ("13 de abril de 2026", date(2026, 4, 13)),
    ("16 augusti 2026", date(2026, 8, 16)), ("3 marzo 2026", date(2026, 3, 3)), ("5. března 2026", date(2026, 3, 5)),
    ("1 de março de 2026", date(2026, 3, 1)), ("7 czerwca 2026", date(2026, 6, 7)),
])
def test_month_names_of_the_other_eu_languages(text, expected):
    from parsers.date_text import parse_date
    assert parse_date(text) == expected


def test_a_month_name_that_means_two_months_is_not_guessed():
    from parsers.date_text import parse_date
    assert parse_date("12 listopada 2026") is None  # October in Croatian, November in Polish
