"""Invoice-number candidates in free text: labelled numbers ("factuur 2024-017") and code-like tokens (INV-0042)."""

from __future__ import annotations

import re

# A label a person or a bookkeeping system writes before an invoice number, nl/en/de/fr.
_LABEL = (
    r"(?:factuur|facturen|factuurnummer|factuurnr|fact|invoices?|invoice\s*(?:no|nr|number|num)|inv|"
    r"rechnung(?:en|snummer|s-?nr)?|re-?nr|facture|factures|n°\s*de\s*facture|bill|nota|"
    r"ons kenmerk|uw kenmerk|kenmerk|referentie|reference|ref|betalingskenmerk)"
)
_TOKEN = r"[A-Z0-9][A-Z0-9\-/._]{1,30}[A-Z0-9]|\d{3,}"
_LABELLED = re.compile(
    rf"\b{_LABEL}\.?\s*(?:nummer|number|nr\.?|no\.?|n°|#|:)?\s*[:#]?\s*(?P<num>{_TOKEN})", re.I
)
# A token mixing letters and digits with a separator ("INV-2024-0042", "F2024/017") is an invoice number
# even without a label; a bare number is only one when labelled (it may be an amount, a year, a phone number).
_CODE = re.compile(r"(?<![\w@/.-])(?P<num>[A-Z]{1,6}[-/.]?\d[\w\-/.]{1,28}\d|\d{4}[-/]\d{2,8})(?![\w@-])")
_DATE_LIKE = re.compile(r"^(\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d{4}-\d{2})$")
_NOT_NUMBERS = re.compile(r"^(iso|utf|rfc|gmt|utc|iban|bic|nl|be|de)\d", re.I)


def _plausible(token: str) -> bool:
    token = token.strip(".-/")
    return (len(token) >= 3 and any(c.isdigit() for c in token) and not _DATE_LIKE.match(token)
            and not _NOT_NUMBERS.match(token))


def invoice_numbers_in(text: str) -> list[str]:
    """Candidate invoice numbers in order of first appearance, without duplicates."""
    found: list[tuple[int, str]] = []
    spans: list[tuple[int, int]] = []
    for pattern in (_LABELLED, _CODE):
        for match in pattern.finditer(text or ""):
            token = match.group("num").strip(".-/")
            start = match.start("num")
            if not _plausible(token) or any(s <= start < e for s, e in spans):
                continue
            spans.append((start, match.end("num")))
            found.append((start, token))
    return list(dict.fromkeys(token for _, token in sorted(found)))
