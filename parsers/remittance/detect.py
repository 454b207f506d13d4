"""Tell a remittance / payment advice apart from a reply that merely mentions a payment."""

from __future__ import annotations

import re
from collections.abc import Sequence

from parsers.remittance.text import lines_from_text

# Names payers and bank or ERP systems give such a message, nl/en/de/fr.
_ADVICE = re.compile(
    r"remittance|payment advice|advice of payment|payment notification|payment confirmation|proof of payment|"
    r"betalingsadvies|betaaladvies|betalingsspecificatie|betaalspecificatie|betalingsbericht|betaalbericht|"
    r"betalingsoverzicht|specificatie (van de |van )?betaling|zahlungsavis|zahlungsavise|zahlungsankündigung|"
    r"avis de paiement|avis de virement|avis de règlement|relevé de règlement|détail du règlement",
    re.I,
)
_PAID_WORDS = re.compile(
    r"paid|betaald|overgemaakt|voldaan|bezahlt|überwiesen|payé|réglé|payment|betaling|zahlung|paiement", re.I
)
_ATTACHMENT = re.compile(r"remittance|advice|betaal|betaling|payment|zahlung|avis|paiement|specificatie", re.I)
_TABLE_FILE = re.compile(r"\.(csv|xlsx|xlsm)$", re.I)


def looks_like_remittance(subject: str, text: str, attachment_names: Sequence[str] = ()) -> bool:
    """True for a payment advice: named so in subject, text or attachment, or a paid-list of several invoices."""
    if _ADVICE.search(subject or "") or _ADVICE.search((text or "")[:2000]):
        return True
    if any(_ATTACHMENT.search(name) and (_TABLE_FILE.search(name) or name.lower().endswith(".pdf"))
           for name in attachment_names):
        return True
    if any(_TABLE_FILE.search(name) for name in attachment_names) and _PAID_WORDS.search(f"{subject} {text}"):
        return True
    return len(lines_from_text(text or "")) >= 2 and bool(_PAID_WORDS.search(f"{subject}\n{text}"))
