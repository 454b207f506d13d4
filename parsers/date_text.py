"""Read dates from text: numeric (31-12-2025, 31.12.25, 2025-12-31, US 12/31/2025) and written (EU languages)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from babel.dates import get_month_names

LANGUAGES = ("nl", "en", "de", "fr")
# The other EU languages: full month names only, in the form dates use ("7 marca 2026") and the form on its own
# ("marzec"), from CLDR through babel. A name that means different months in two of them ("listopad": October in
# Croatian, November in Czech and Polish) is left out rather than guessed.
OTHER_LANGUAGES = ("bg", "cs", "da", "el", "es", "et", "fi", "ga", "hr", "hu", "it", "lt", "lv", "mt", "pl", "pt",
                   "ro", "sk", "sl", "sv")
_EXTRA_MONTHS = {"sept": 9, "mrt": 3, "maerz": 3, "marz": 3, "juil": 7, "juillet": 7, "fevr": 2, "avr": 4,
                 "okt": 10, "mai": 5, "dez": 12, "mei": 5, "jun": 6, "jul": 7}


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def month_table() -> dict[str, int]:
    """Month names and abbreviations (accents folded, no dots) of nl, en, de and fr, and the other EU languages' full
    month names, mapped to 1..12."""
    table = dict(_EXTRA_MONTHS)
    for language in LANGUAGES:
        for width in ("wide", "abbreviated"):
            for number, name in get_month_names(width, locale=language).items():
                table[_fold(name).rstrip(".")] = number
    others: dict[str, set[int]] = {}
    for language in OTHER_LANGUAGES:
        for context in ("format", "stand-alone"):
            for number, name in get_month_names("wide", context, locale=language).items():
                others.setdefault(_fold(name), set()).add(number)
    for name, numbers in others.items():
        if len(numbers) == 1 and name not in table and len(name) >= 4:
            table[name] = numbers.pop()
    return table


@dataclass(frozen=True)
class DateMatch:
    """One date found in a text and its position."""

    value: date
    start: int
    end: int
    written: bool


def _month_alternation() -> str:
    names = sorted(month_table(), key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], ...]:
    months = _month_alternation()
    return (
        re.compile(r"(?<!\d)(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})(?!\d)"),
        re.compile(r"(?<![\d.,])(?P<a>\d{1,2})(?P<sep>[./\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d])"),
        re.compile(rf"(?<![\w])(?P<d>\d{{1,2}})(?:\.|er|e|st|nd|rd|th|º)?\s*(?:de\s+)?(?P<mon>{months})\.?,?\s+(?:de\s+)?"
                   rf"(?P<y>\d{{4}})(?!\d)"),
        re.compile(rf"(?<![\w])(?P<mon>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>\d{{4}})(?!\d)"),
        re.compile(r"(?<!\d)(?P<y>20\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)"),
    )


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def _make(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def find_dates(text: str, us_order: bool = False) -> list[DateMatch]:
    """Every date in a text, left to right. `us_order` reads 03/04/2025 as March 4 (only when day <= 12)."""
    folded = _fold(text)
    found: list[DateMatch] = []
    taken: list[tuple[int, int]] = []
    iso, numeric, day_month, month_day, compact = _patterns()
    for kind, pattern in (("iso", iso), ("dm", day_month), ("md", month_day), ("num", numeric),
                          ("compact", compact)):
        for m in pattern.finditer(folded):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            value = None
            if kind in ("iso", "compact"):
                value = _make(int(m["y"]), int(m["m"]), int(m["d"]))
            elif kind in ("dm", "md"):
                value = _make(int(m["y"]), month_table()[m["mon"]], int(m["d"]))
            else:
                a, b, y = int(m["a"]), int(m["b"]), _year(m["y"])
                if us_order and a <= 12 and m["sep"] == "/":
                    value = _make(y, a, b)
                elif a <= 12 < b:
                    value = _make(y, a, b)
                else:
                    value = _make(y, b, a)
            if value is not None:
                found.append(DateMatch(value, m.start(), m.end(), kind in ("dm", "md")))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)


def parse_date(text: str, us_order: bool = False) -> date | None:
    """The first date in a text, or None."""
    found = find_dates(text, us_order)
    return found[0].value if found else None
