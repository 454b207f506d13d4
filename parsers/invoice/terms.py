"""Read payment terms ("betaling binnen 30 dagen", "net 14", "14 Tage netto", "30 jours") from text."""

from __future__ import annotations

import re

# "days" in the EU languages invoices state their terms in (CLDR's day unit, plural and genitive forms).
_DAYS = (r"(?:dagen|days?|tage[n]?|jours?|giorni|dgn\.?|d[ií]as|dias|dni|dní|dnů|dana|dní|dagar|dage|dögum|"
         r"päivää|päivän|napon|nap|dienų|dienas|dienu|päeva|ημερών|дни|zile)")
_TERM_PATTERNS = [
    re.compile(rf"(?:binnen|within|innerhalb(?:\s+von)?|sous|dans\s+les|à|a|entro|dentro\s+de|no\s+prazo\s+de|"
               rf"w\s+ciągu|inom|inden\s+for|innen|v\s+roku|în\s+termen\s+de|"
               rf"(?:przelew|netto))\s+(\d{{1,3}})\s*{_DAYS}", re.I),
    re.compile(rf"\bnet(?:to)?\s*(\d{{1,3}})(?![\d,.]?\d)\b(?:\s*{_DAYS})?", re.I),
    re.compile(rf"\b(\d{{1,3}})\s*{_DAYS}\s*(?:net(?:to)?|rein\s+netto|fin\s+de\s+mois|na\s+factuurdatum|"
               rf"after|nach|date\s+de\s+facture)", re.I),
    re.compile(rf"(?:terms?|termijn|betalingstermijn|zahlungsziel|zahlungsbedingungen|conditions?\s+de\s+paiement|"
               rf"délai\s+de\s+paiement|échéance|solde\s+à|"
               rf"balance\s+(?:at|in|within)|saldo\s+(?:binnen|na|in))\s*:?\s*(\d{{1,3}})\s*(?:{_DAYS}|j\b)", re.I),
    re.compile(rf"\b(\d{{1,3}})\s*{_DAYS}\b", re.I),
]
_IMMEDIATE = re.compile(r"\b(?:sofort|umgehend|immédiat|immediat|immediately|upon\s+receipt|on\s+receipt|"
                        r"direct(?:e)?\s+betal|per\s+omgaande|zahlbar\s+sofort|à\s+réception|a\s+reception)", re.I)
_DISCOUNT = re.compile(r"skonto|escompte|discount|korting|%", re.I)
# Other periods an invoice states: for complaints, returns and defects ("Klachten binnen 8 dagen melden").
_OTHER_PERIOD = re.compile(r"klacht|r[ée]clam|complain|claims?\b|beanstand|reklamation|rüge|mängel|m[äa]ngelr[üu]ge|"
                           r"retour|return|herroep|widerruf|rétractation|withdraw|bezwaar|protest|contest|dispute|"
                           r"garantie|guarantee|warranty|gewährleistung", re.I)


def payment_terms_clause(text: str, allow_bare_days: bool = False) -> tuple[int, str] | None:
    """The net payment term in days and the clause stating it (see `payment_terms_days`)."""
    for clause in re.split(r"(?<=[.;\n])\s+|,\s+", text):
        if _DISCOUNT.search(clause) or _OTHER_PERIOD.search(clause):
            continue
        patterns = _TERM_PATTERNS if allow_bare_days else _TERM_PATTERNS[:-1]
        for pattern in patterns:
            m = pattern.search(clause)
            if m and 0 <= int(m.group(1)) <= 180:
                return int(m.group(1)), clause
        if _IMMEDIATE.search(clause):
            return 0, clause
    return None


def payment_terms_days(text: str, allow_bare_days: bool = False) -> int | None:
    """The net payment term in days stated in a text, 0 for "payable immediately"; None when not stated.

    Cash-discount clauses (Skonto, "2 % if paid within 10 days") are not payment terms. A bare "30 days"
    without a payment word counts only with `allow_bare_days` (use it on text already known to be terms).
    """
    found = payment_terms_clause(text, allow_bare_days)
    return found[0] if found else None
