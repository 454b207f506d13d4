"""Writes the API accepts twice: the first answer under an `Idempotency-Key` is stored and replayed to retries."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from worker.db.models import IdempotencyKey

# A write that lost a race (a concurrent request with the same key, a second reversal of the same payment)
# fails on a unique constraint; it is tried again in a fresh transaction, which then sees the winner's result.
ATTEMPTS = 3


@dataclass(frozen=True)
class Answer:
    """An HTTP answer as stored: status code and JSON body; `replayed` when it comes from an earlier request."""

    status_code: int
    body: dict[str, Any]
    replayed: bool = False


class KeyReused(Exception):
    """The key was used before for a different request."""


def request_hash(route: str, body: dict[str, Any]) -> str:
    """A fingerprint of what was asked: the route with its ids and the canonical body (sorted keys, no spaces)."""
    canonical = json.dumps({"route": route, "body": body}, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def answer_once(sessions: sessionmaker[Session], *, business_id: int, key: str | None, fingerprint: str,
                now: datetime, write: Callable[[Session], Answer]) -> Answer:
    """Run `write` in its own transaction, at most once per (business, key); committed before the answer leaves.

    The key row is inserted before the write, so a concurrent request with the same key waits on it (PostgreSQL's
    unique index, SQLite's write lock) and then replays the stored answer. A refused write raises, its transaction
    rolls back and the key is forgotten with it: a refusal booked nothing, so the corrected request may reuse it.
    """
    for attempt in range(ATTEMPTS):
        try:
            with sessions.begin() as session:
                row = None
                if key is not None:
                    stored = session.scalars(select(IdempotencyKey).where(
                        IdempotencyKey.business_id == business_id, IdempotencyKey.key == key)).first()
                    if stored is not None:
                        return _replay(stored, key, fingerprint)
                    row = IdempotencyKey(business_id=business_id, key=key, request_hash=fingerprint, status_code=0,
                                         response={}, created_at=now)
                    session.add(row)
                    session.flush()
                answer = write(session)
                if row is not None:
                    row.status_code, row.response = answer.status_code, answer.body
                return answer
        except IntegrityError:
            if attempt == ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable: the last attempt returns or raises")


def _replay(stored: IdempotencyKey, key: str, fingerprint: str) -> Answer:
    if stored.request_hash != fingerprint:
        raise KeyReused(f"the Idempotency-Key {key!r} was already used on {stored.created_at:%Y-%m-%d %H:%M} UTC "
                        "for a different request (another invoice, amount, date, note or flag); send a new key "
                        "for a new payment, or repeat the first request exactly to get its answer")
    return Answer(stored.status_code, stored.response, replayed=True)
