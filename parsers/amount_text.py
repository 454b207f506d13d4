"""Read money amounts and currencies from text in Dutch/German/French (1.234,56) and English (1,234.56) forms."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

CURRENCY_SYMBOLS = {"€": "EUR", "$": "USD", "£": "GBP", "¥": "JPY", "₹": "INR", "Rs": "INR", "CHF": "CHF",
                    "Fr.": "CHF", "kr": "DKK"}
CURRENCY_CODES = ("EUR", "USD", "GBP", "CHF", "DKK", "NOK", "SEK", "PLN", "CZK", "HUF", "RON", "BGN", "JPY", "INR",
                  "CAD", "AUD")

_NUMBER = r"\d{1,3}(?:[.,\u00a0\u202f\u2009']\d{3})+(?:[.,]\d{1,4})?|\d+(?:[.,]\d{1,4})?"
AMOUNT_PATTERN = re.compile(
    rf"(?P<lead>[-−–]\s?)?(?P<pre>€|\$|£|EUR|USD|GBP|CHF)?\s?(?P<lead2>[-−])?\s?(?P<num>{_NUMBER})"
    rf"(?!\d)(?P<trail>-(?![\d\w]))?\s?(?P<post>€|EUR|USD|CHF|\$)?(?![\w/.])"
)


# French, Nordic and Eastern European invoices group thousands with a plain space ("1 210,00 €"). A plain space
# also separates a quantity from a price ("2 100,00"), so it is taken as a thousands separator only where that
# reading is safe: beside a currency, or as the last figure of its line with cents ("Montant à payer 60 783,68").
_CODES = "|".join(CURRENCY_CODES)
_SPACED = r"\d{1,3}(?:[ \u2009]\d{3})+(?:[.,]\d{2})"
_SPACED_BY_CURRENCY = re.compile(
    rf"(?:(?:€|\$|£|\b(?:{_CODES}))\s?(?P<a>{_SPACED}?)|(?<![\d.,])(?P<b>{_SPACED}?)\s?(?:€|\$|£|zł|kr|\b(?:{_CODES})\b))"
    r"(?![\d.,]\d)"
)
_SPACED_AT_LINE_END = re.compile(rf"(?<![\d.,])(?<![\d.,] )(?P<c>{_SPACED})[ \t]*$", re.M)


def _join_spaced_groups(text: str) -> str:
    """The text with safe plain-space thousands separators turned into narrow no-break spaces (same length)."""
    spans = [m.span(g) for pattern in (_SPACED_BY_CURRENCY, _SPACED_AT_LINE_END) for m in pattern.finditer(text)
             for g in pattern.groupindex if m.group(g)]
    if not spans:
        return text
    chars = list(text)
    for start, end in spans:
        for i in range(start, end):
            if chars[i] == " ":
                chars[i] = "\u202f"
    return "".join(chars)


@dataclass(frozen=True)
class AmountMatch:
    """One amount found in a text: its value, currency (if printed beside it) and position."""

    value: Decimal
    currency: str | None
    start: int
    end: int
    has_decimals: bool


def parse_number(text: str, decimal_hint: str | None = None) -> Decimal | None:
    """Parse a bare number such as `1.234,56`, `1,234.56`, `1 234,56` or `189,00`; None when unreadable."""
    s = re.sub(r"[\s\u00a0\u202f\u2009']", "", text.strip())
    if not s or not re.fullmatch(r"[\d.,]+", s):
        return None
    last_dot, last_comma = s.rfind("."), s.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal = "." if last_dot > last_comma else ","
    elif last_dot >= 0 or last_comma >= 0:
        sep = "." if last_dot >= 0 else ","
        tail = len(s) - max(last_dot, last_comma) - 1
        if s.count(sep) > 1:
            decimal = None
        elif tail == 3 and decimal_hint != sep:
            decimal = None
        else:
            decimal = sep
    else:
        decimal = None
    if decimal is None:
        digits = s.replace(".", "").replace(",", "")
    else:
        thousands = "," if decimal == "." else "."
        digits = s.replace(thousands, "").replace(decimal, ".")
    try:
        return Decimal(digits)
    except InvalidOperation:
        return None


def parse_amount(text: str, decimal_hint: str | None = None) -> Decimal | None:
    """Parse one amount with optional sign and currency (`€ 1.210,00`, `-8,79 €`, `189,00-`, `($12.00)`)."""
    found = find_amounts(text, decimal_hint)
    return found[0].value if found else None


def find_amounts(text: str, decimal_hint: str | None = None) -> list[AmountMatch]:
    """Every amount in a text, left to right."""
    matches = []
    text = _join_spaced_groups(text)
    for m in AMOUNT_PATTERN.finditer(text):
        value = parse_number(m["num"], decimal_hint)
        if value is None:
            continue
        if m["lead"] or m["lead2"] or m["trail"]:
            value = -value
        symbol = m["pre"] or m["post"]
        currency = CURRENCY_SYMBOLS.get(symbol, symbol) if symbol else None
        has_decimals = bool(re.search(r"[.,]\d{1,2}$", m["num"]))
        matches.append(AmountMatch(value, currency, m.start(), m.end(), has_decimals))
    return matches


def currency_in(text: str) -> str | None:
    """The ISO 4217 code a text names by code or symbol, the most frequent one first; None when none."""
    counts: dict[str, int] = {}
    for code in CURRENCY_CODES:
        n = len(re.findall(rf"(?<![A-Za-z]){code}(?![A-Za-z])", text))
        if n:
            counts[code] = counts.get(code, 0) + n
    for symbol, code in (("€", "EUR"), ("$", "USD"), ("£", "GBP"), ("₹", "INR"), ("zł", "PLN")):
        n = text.count(symbol)
        if n:
            counts[code] = counts.get(code, 0) + n
    n = len(re.findall(r"(?<![A-Za-z])Rs\.?\s?\d", text))
    if n:
        counts["INR"] = counts.get("INR", 0) + n
    if not counts:
        return None
    return max(counts, key=lambda c: counts[c])
