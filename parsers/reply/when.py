"""Dates in a reply, resolved against `today`: "volgende week vrijdag", "end of the month", "15/12", "morgen"."""

from __future__ import annotations

import calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from babel.dates import get_day_names

from parsers.date_text import find_dates, month_table

_LANGUAGES = ("nl", "en", "de", "fr")
_NUMBER_WORDS = {
    "een": 1, "een paar": 3, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "tien": 10,
    "veertien": 14, "a": 1, "an": 1, "one": 1, "a couple of": 2, "a few": 3, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "ten": 10, "fourteen": 14, "ein": 1, "einer": 1, "einem": 1, "zwei": 2,
    "drei": 3, "funf": 5, "zehn": 10, "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "dix": 10,
    "quinze": 15,
}
_UNIT_DAYS = {"dag": 1, "dagen": 1, "day": 1, "days": 1, "tag": 1, "tagen": 1, "tage": 1, "jour": 1, "jours": 1,
              "week": 7, "weken": 7, "weeks": 7, "woche": 7, "wochen": 7, "semaine": 7, "semaines": 7,
              "werkdag": 1, "werkdagen": 1, "business day": 1, "business days": 1, "working days": 1}


def fold(text: str) -> str:
    """Lower case without accents, so "März", "maerz" and "Marz" read alike."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _weekdays() -> dict[str, int]:
    table = {}
    for language in _LANGUAGES:
        names = get_day_names("wide", locale=language)
        for number in range(7):
            table[fold(names[number])] = number
    return table


@dataclass(frozen=True)
class FoundDate:
    """A date the text names, where, and whether it was written relative to today."""

    value: date
    start: int
    end: int
    relative: bool


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _next_weekday(today: date, weekday: int) -> date:
    """The first such weekday strictly after today."""
    return today + timedelta(days=(weekday - today.weekday() - 1) % 7 + 1)


def _in_next_week(today: date, weekday: int) -> date:
    return today - timedelta(days=today.weekday()) + timedelta(days=7 + weekday)


def _no_year(today: date, month: int, day: int, future: bool) -> date | None:
    """A day and month without a year: the nearest such date ahead (promises) or behind (payments)."""
    for year in ((today.year, today.year + 1) if future else (today.year, today.year - 1)):
        try:
            value = date(year, month, day)
        except ValueError:
            continue
        if (value >= today) if future else (value <= today):
            return value
    return None


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    days, months, numbers = _alt(_weekdays()), _alt(month_table()), _alt(_NUMBER_WORDS)
    units = _alt(_UNIT_DAYS)
    next_week = r"(?:volgende|komende|next|nachste|naechste)n?\s+(?:week|woche)|la semaine prochaine|semaine prochaine"
    return [
        ("week_day", re.compile(rf"\b(?:{next_week})\s+(?:op\s+|on\s+|am\s+)?(?P<day>{days})\b|"
                                rf"\b(?P<day2>{days})\s+(?:van\s+|of\s+|de\s+)?(?:{next_week})\b")),
        ("weekday", re.compile(rf"\b(?P<day>{days})\b(?!\s*(?:\d|{months}))")),
        ("offset", re.compile(rf"\b(?:over|in|binnen|within|innerhalb|dans|sous)\s+(?:(?:de|der|den)\s+)?"
                              rf"(?:(?P<n>\d{{1,3}})|(?P<word>{numbers}))\s+(?P<unit>{units})\b")),
        ("month_end", re.compile(r"\b(?:eind(?:e)?\s+(?:van\s+)?(?:de(?:ze)?\s+)?maand|end of (?:the |this )?month|"
                                 r"(?:ende des|zum ende des|bis ende des) monats|monatsende|ende (?:dieses )?monats|"
                                 r"fin (?:du|de ce) mois|(?:voor|tegen) het einde van de maand|ultimo)\b")),
        ("next_month_end", re.compile(r"\b(?:eind(?:e)?\s+(?:van\s+)?volgende maand|end of next month|"
                                      r"ende (?:des )?nachsten monats|fin du mois prochain)\b")),
        ("next_month_start", re.compile(r"\b(?:begin|start|early|beginning of|begin van)\s+(?:volgende|next) month|"
                                        r"\bbegin volgende maand|anfang (?:des )?nachsten monats|"
                                        r"debut du mois prochain|\b(?:begin|start|early) next month")),
        ("next_month", re.compile(r"\b(?:volgende|komende|next|nachsten|nachster) (?:maand|month|monat)\b|"
                                  r"\ble mois prochain\b")),
        ("week_end", re.compile(r"\b(?:eind(?:e)? (?:van )?(?:deze|de) week|end of (?:the|this) week|"
                                r"ende (?:dieser|der) woche|fin de (?:la|cette) semaine|deze week|this week|"
                                r"diese woche|cette semaine)\b")),
        ("next_week", re.compile(rf"\b(?:{next_week})\b")),
        ("today", re.compile(r"\b(?:vandaag|today|heute|aujourd'hui|vanmiddag|vanavond|this afternoon|tonight)\b")),
        ("tomorrow", re.compile(r"\b(?:morgen|tomorrow|demain)\b(?!\s*(?:mittag|fruh))")),
        ("day_after", re.compile(r"\b(?:overmorgen|day after tomorrow|ubermorgen|apres-demain)\b")),
        ("yesterday", re.compile(r"\b(?:gisteren|yesterday|gestern)\b")),
        ("day_month_written", re.compile(rf"\b(?P<d>\d{{1,2}})(?:e|ste|de|st|nd|rd|th|er|\.)?\s+(?P<mon>{months})\.?"
                                         r"(?!\s*,?\s*\d{4})\b")),
        ("month_day_written", re.compile(rf"\b(?P<mon>{months})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\b"
                                         r"(?!\s*,?\s*\d{4})(?![:.]\d)")),
        # "15/12", "15-12", "15.12." (a dot only with the closing dot, so € 3.10 is not the 3rd of October).
        ("day_month", re.compile(r"(?<![\d/.\-,€$])(?P<d>\d{1,2})(?:[/\-](?P<m>\d{1,2})|\.(?P<m2>\d{1,2})\.)"
                                 rf"(?![/.\-]?\d)(?!\s*(?:{units}|uur|hours?|x\b))")),
        ("day_of_month", re.compile(r"\b(?:de|den|the|le|am)\s+(?P<d>\d{1,2})(?:e|ste|de|st|nd|rd|th|er|\.)"
                                    r"(?!\s*\w*\s*(?:dag|day|tag|jour))")),
        ("week_number", re.compile(r"\b(?:week|woche|kw|semaine)\s+(?P<w>\d{1,2})\b")),
    ]


def _resolve(kind: str, m: re.Match[str], today: date, future: bool) -> date | None:
    weekdays = _weekdays()
    if kind == "week_day":
        return _in_next_week(today, weekdays[m["day"] or m["day2"]])
    if kind == "weekday":
        weekday = weekdays[m["day"]]
        if future:
            return _next_weekday(today, weekday)
        return today - timedelta(days=(today.weekday() - weekday - 1) % 7 + 1)
    if kind == "offset":
        count = int(m["n"]) if m["n"] else _NUMBER_WORDS[m["word"]]
        return today + timedelta(days=count * _UNIT_DAYS[m["unit"]])
    if kind == "month_end":
        return _month_end(today.year, today.month)
    if kind in ("next_month_end", "next_month"):
        return _month_end(*_add_months(today, 1))
    if kind == "next_month_start":
        year, month = _add_months(today, 1)
        return date(year, month, 7)  # "early next month": the first week, resume after it
    if kind == "week_end":
        friday = today - timedelta(days=today.weekday()) + timedelta(days=4)
        return friday if friday >= today else today
    if kind == "next_week":
        return _in_next_week(today, 4)  # "next week" without a day: by its last working day
    if kind in ("today", "tomorrow", "day_after", "yesterday"):
        return today + timedelta(days={"today": 0, "tomorrow": 1, "day_after": 2, "yesterday": -1}[kind])
    if kind in ("day_month_written", "month_day_written"):
        return _no_year(today, month_table()[m["mon"]], int(m["d"]), future)
    if kind == "day_month":
        return _no_year(today, int(m["m"] or m["m2"]), int(m["d"]), future)
    if kind == "day_of_month":
        day = int(m["d"])
        value = _no_year(today, today.month, day, future)
        if value is None and 1 <= day <= 31:
            year, month = _add_months(today, 1 if future else -1)
            value = _no_year(date(year, month, 1) if future else _month_end(year, month), month, day, future)
        return value
    if kind == "week_number":
        week = int(m["w"])
        for year in (today.year, today.year + 1):
            try:
                value = date.fromisocalendar(year, week, 5)
            except ValueError:
                continue
            if value >= today or not future:
                return value
    return None


def dates_in(text: str, today: date, future: bool = True) -> list[FoundDate]:
    """Every date the text names, in order; forms without a year are taken ahead of today when `future`
    (a promise) and behind it otherwise (a payment already made)."""
    folded = fold(text)
    found = [FoundDate(d.value, d.start, d.end, False) for d in find_dates(folded)]
    taken = [(d.start, d.end) for d in found]
    for kind, pattern in _patterns():
        for m in pattern.finditer(folded):
            if any(m.start() < end and start < m.end() for start, end in taken):
                continue
            value = _resolve(kind, m, today, future)
            if value is not None:
                found.append(FoundDate(value, m.start(), m.end(), True))
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda d: d.start)
