"""Stub."""
from dataclasses import dataclass
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Intent:
    kind: str
    promised_date: date | None = None
    paid_date: date | None = None
    amount: Decimal | None = None
    reason: str | None = None
    confidence: float = 0.0


def reply_intent(stripped_text: str, today: date) -> Intent:
    return Intent("other")
