"""The language an invoice is written in (nl, en, de, fr) and whether its numeric dates are US-ordered."""

from __future__ import annotations

import re
from collections.abc import Iterable

from parsers.text_language import decide_language, language_scores

# Languages of the countries whose parties we meet most, used only to settle a narrow lead: a Belgian invoice
# that is barely more French than Dutch is French, one barely more English than German stays undecided.
COUNTRY_LANGUAGES = {"NL": ("nl",), "BE": ("nl", "fr"), "DE": ("de",), "AT": ("de",), "CH": ("de", "fr"),
                     "LU": ("fr", "de"), "FR": ("fr",), "GB": ("en",), "IE": ("en",), "US": ("en",)}
_MINIMUM = 3


def detect_language(text: str, countries: Iterable[str | None] = (), minimum: int = _MINIMUM) -> str | None:
    """The language whose words the text uses clearly most (`minimum` words at least); None when undecided.
    `countries` (the parties' ISO codes) only break a narrow lead."""
    preferred = [lang for country in countries if country for lang in COUNTRY_LANGUAGES.get(country, ())]
    return decide_language(language_scores(text), minimum, preferred)


def leading_language(text: str) -> str | None:
    """The language with most words, however narrow its lead (for reading number and date formats only)."""
    scores = language_scores(text)
    best = max(scores, key=lambda lang: scores[lang])
    return best if scores[best] else None


def uses_us_dates(text: str, language: str | None) -> bool:
    """Whether slash dates read month first: an English text, unless a date's first part exceeds 12."""
    pairs = [(int(a), int(b)) for a, b in re.findall(r"(?<!\d)(\d{1,2})/(\d{1,2})/\d{2,4}(?!\d)", text)]
    if any(a > 12 for a, _ in pairs):
        return False
    if any(b > 12 for _, b in pairs):
        return True
    return language == "en"
