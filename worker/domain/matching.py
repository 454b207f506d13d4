"""Decide which invoices an inbound message concerns, strongest evidence first."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# Strongest first: a token we minted beats a header we set, beats a number the sender typed,
# beats merely knowing the sender.
RULES: tuple[str, ...] = ("reply_token", "in_reply_to", "invoice_number", "sender_address")


@dataclass(frozen=True)
class Match:
    """The message concerns these invoices; `rule` records which evidence decided it."""

    invoice_ids: tuple[int, ...]
    rule: str
    business_id: int


@dataclass(frozen=True)
class Unmatched:
    """No invoice could be chosen without guessing; the message goes to review with this reason."""

    reason: str


@dataclass(frozen=True)
class Candidate:
    """An invoice some piece of evidence points at."""

    invoice_id: int
    business_id: int


def match_message(evidence: Mapping[str, Sequence[Candidate]]) -> Match | Unmatched:
    """Pick the strongest rule that names invoices of exactly one business."""
    for rule in RULES:
        candidates = evidence.get(rule, ())
        if not candidates:
            continue
        businesses = {c.business_id for c in candidates}
        if len(businesses) > 1:
            return Unmatched(f"{rule.replace('_', ' ')} points at invoices of {len(businesses)} businesses")
        ids = tuple(sorted({c.invoice_id for c in candidates}))
        return Match(ids, rule, businesses.pop())
    return Unmatched("no reply token, reference, invoice number or known sender")
