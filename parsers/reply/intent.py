"""`reply_intent`: what a debtor's reply asks or promises, with the promised or paid date resolved against today."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from parsers.amount_text import find_amounts
from parsers.reply import intent_cues as cues
from parsers.reply.intent_model import intent_probabilities, known_share
from parsers.reply.when import dates_in, fold

KINDS = ("paid", "promise_to_pay", "dispute", "copy_request", "payment_plan_request", "wrong_contact", "other")
# A full stop after one or two digits is a German or Dutch ordinal day ("den 3. Dezember"), not a sentence end.
_SENTENCE = re.compile(r"(?<=[.!?;])(?<!\b\d\.)(?<!\b\d\d\.)\s+|\n+")
# Below _SURE a person decides. _UNSURE is what a reading a person must confirm claims: several intents at once,
# or a promise without a date.
_SURE = 0.7
_UNSURE = 0.6
# Below this share of words it knows, the model reads a text unlike any reply it learnt from and is not asked.
_KNOWN = 0.2
# "Other" names nothing to act on: a person still glances at it, as before the model.
_OTHER = 0.3
# A promise more than a year out is more likely a date we misread than a plan.
_HORIZON = timedelta(days=366)


@dataclass(frozen=True)
class Intent:
    """The reading of one reply; `confidence` below 0.7 means a person should decide."""

    kind: str
    promised_date: date | None = None
    paid_date: date | None = None
    amount: Decimal | None = None
    reason: str | None = None
    confidence: float = 0.0


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE.split(text) if s.strip()]


def _matching(sentences: list[str], pattern: re.Pattern[str]) -> list[str]:
    return [s for s in sentences if pattern.search(fold(s))]


def _amount(sentences: list[str]) -> Decimal | None:
    for sentence in sentences:
        # A full stop right after the amount ends the sentence; it is not part of the number.
        found = [a for a in find_amounts(re.sub(r"(\d)[.,](\s|$)", r"\1\2", sentence)) if a.currency or a.has_decimals]
        if found:
            return abs(found[-1].value)
    return None


def _promised_date(sentences: list[str], text: str, today: date) -> date | None:
    """The latest date ahead in the promising sentences (else anywhere): the pause must cover all of it."""
    for scope in (" ".join(sentences), text):
        ahead = [d.value for d in dates_in(scope, today, future=True) if today <= d.value <= today + _HORIZON]
        if ahead:
            return max(ahead)
    return None


def _paid_date(sentences: list[str], today: date) -> date | None:
    behind = [d.value for d in dates_in(" ".join(sentences), today, future=False)
              if today - _HORIZON <= d.value <= today]
    return max(behind) if behind else None


def _dated_payments(sentences: list[str], today: date) -> list[str]:
    """Sentences that speak of paying with a date ahead and not in the past tense ("wij betalen vrijdag")."""
    return [s for s in sentences if cues.PAY_VERB.search(fold(s))
            and not (cues.PAID.search(fold(s)) and not cues.NOT_PAID.search(fold(s)))
            and any(d.relative and d.value >= today or d.value > today for d in dates_in(s, today, future=True))]


def _reason(sentences: list[str]) -> str | None:
    return " ".join(sentences)[:300] or None


def reply_intent(stripped_text: str, today: date) -> Intent:
    """Read a reply's intent. Pure: `today` resolves "morgen", "next Friday", "15/12"; no clock is read."""
    text = (stripped_text or "").strip()
    if not text:
        return Intent("other", confidence=0.2)
    sentences = _sentences(text)
    folded = fold(text)
    hits = {
        "wrong_contact": _matching(sentences, cues.WRONG_CONTACT),
        "paid": [s for s in _matching(sentences, cues.PAID) if not cues.NOT_PAID.search(fold(s))],
        "dispute": _matching(sentences, cues.DISPUTE),
        "payment_plan_request": _matching(sentences, cues.PAYMENT_PLAN),
        "copy_request": _matching(sentences, cues.COPY_REQUEST),
        "promise_to_pay": _matching(sentences, cues.PROMISE) or _dated_payments(sentences, today),
    }
    found = [kind for kind, matched in hits.items() if matched]
    if not found and known_share(text) < _KNOWN:
        return Intent("other", confidence=_OTHER)
    if len(found) == 1:
        # One precise rule fired: it stands, as it did before the model.
        kind = found[0]
        confidence = 0.9
    else:
        # No rule or several: the model reads the whole reply. With several, it only chooses among what the rules
        # saw, and the reading stays below _SURE because a reply that says two things needs a person.
        probabilities = intent_probabilities(text)
        # A negated payment ("not paid yet") is never read as paid, whatever the model makes of the words.
        candidates = found or [k for k in KINDS if not (k == "paid" and cues.NOT_PAID.search(folded))]
        kind = max(candidates, key=lambda k: probabilities.get(k, 0.0))
        confidence = probabilities.get(kind, 0.0) if not found else min(probabilities.get(kind, 0.0), _UNSURE)
        if kind == "paid" and "promise_to_pay" in found and not cues.NOT_PAID.search(folded):
            confidence = _SURE  # "paid half, the rest follows": paid stands, the promise is in the reason
    if kind == "other":
        return Intent("other", confidence=min(confidence, _OTHER))
    matched = hits[kind] or sentences  # the model read the whole reply: every sentence is its evidence
    if kind == "promise_to_pay":
        promised = _promised_date(matched, text, today)
        if promised is None:
            confidence = min(confidence, _UNSURE)  # a promise without a date cannot pause the ladder on its own
        return Intent(kind, promised_date=promised, amount=_amount(matched), reason=_reason(matched),
                      confidence=confidence)
    if kind == "paid":
        return Intent(kind, paid_date=_paid_date(matched, today), amount=_amount(matched), reason=_reason(matched),
                      confidence=confidence)
    if kind == "payment_plan_request":
        return Intent(kind, amount=_amount(matched), reason=_reason(matched), confidence=confidence)
    return Intent(kind, reason=_reason(matched), confidence=confidence)
