"""Guess the language of an invoice text (nl, en, de, fr) and whether its numeric dates are US-ordered."""

from __future__ import annotations

import re

_WORDS = {
    "nl": r"factuur|btw|totaal|betalen|bedrag|vervaldatum|omschrijving|aantal|klant|datum|betaling|dagen",
    "en": r"invoice|total|amount|payment|due|description|quantity|date|terms|bill|tax|days|please",
    "de": r"rechnung|betrag|zahlung|mwst|ust|gesamt|menge|datum|netto|brutto|tage|bitte|summe",
    "fr": r"facture|montant|paiement|tva|total|désignation|quantité|date|règlement|jours|échéance",
}


def detect_language(text: str) -> str:
    """The language whose invoice words occur most often; "und" when none occur."""
    counts = {lang: len(re.findall(rf"\b(?:{words})\b", text, re.I)) for lang, words in _WORDS.items()}
    best = max(counts, key=lambda lang: counts[lang])
    return best if counts[best] else "und"


def uses_us_dates(text: str, language: str) -> bool:
    """Whether slash dates read month first: an English text, unless a date's first part exceeds 12."""
    pairs = [(int(a), int(b)) for a, b in re.findall(r"(?<!\d)(\d{1,2})/(\d{1,2})/\d{2,4}(?!\d)", text)]
    if any(a > 12 for a, _ in pairs):
        return False
    if any(b > 12 for _, b in pairs):
        return True
    return language == "en"
