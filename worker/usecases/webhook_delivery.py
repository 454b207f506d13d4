"""Deliver due webhook events: claim them, POST each signed, record the answer, retry with back-off, then give up."""

import http.client
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random
from urllib.parse import urlsplit

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from worker.db.webhook_models import Webhook, WebhookDelivery
from worker.domain.retry_schedule import DEFAULT_RETRY_SCHEDULE, RetrySchedule
from worker.domain.webhook_signature import HEADER, sign
from worker.usecases.webhooks import Resolver, WebhookRefused, check_target, resolve

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10.0
CLAIM_EXPIRES = timedelta(minutes=5)  # a claim older than this belongs to a job that died
BATCH = 100


@dataclass(frozen=True)
class Answer:
    status: int | None  # None: no HTTP answer at all
    error: str | None


Post = Callable[[str, bytes, dict[str, str]], Answer]


def post(url: str, body: bytes, headers: dict[str, str]) -> Answer:
    """One POST, redirects not followed (a redirect could lead into a private network), the body not read."""
    parts = urlsplit(url)
    connection_type = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_type(parts.hostname or "", parts.port, timeout=TIMEOUT_SECONDS)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return Answer(response.status, None if 200 <= response.status < 300 else f"HTTP {response.status} "
                      f"{response.reason}"[:500])
    except (OSError, ValueError, http.client.HTTPException) as exc:  # ValueError: a URL http.client refuses
        return Answer(None, f"{type(exc).__name__}: {exc}"[:500])
    finally:
        connection.close()


def _claim(sessions: sessionmaker[Session], now: datetime, limit: int) -> list[int]:
    with sessions.begin() as session:
        due = session.scalars(
            select(WebhookDelivery).where(
                WebhookDelivery.status == "pending",
                or_(WebhookDelivery.next_attempt_at.is_(None), WebhookDelivery.next_attempt_at <= now),
                or_(WebhookDelivery.claimed_at.is_(None), WebhookDelivery.claimed_at < now - CLAIM_EXPIRES))
            .order_by(WebhookDelivery.id).limit(limit).with_for_update(skip_locked=True)).all()
        for row in due:
            row.claimed_at = now
        return [row.id for row in due]


def deliver_due(sessions: sessionmaker[Session], now: datetime, *, allow_private: bool, send: Post = post,
                schedule: RetrySchedule = DEFAULT_RETRY_SCHEDULE, rng: Random | None = None,
                resolver: Resolver = resolve, limit: int = BATCH) -> dict[str, int]:
    """Every delivery due at `now` tried once (no transaction is open while waiting on an endpoint)."""
    rng = rng or Random()
    counts = {"delivered": 0, "retrying": 0, "failed": 0, "dropped": 0}
    for delivery_id in _claim(sessions, now, limit):
        with sessions.begin() as session:
            row = session.get_one(WebhookDelivery, delivery_id)
            hook = session.get_one(Webhook, row.webhook_id)
            url, secret, payload, deleted = hook.url, hook.secret, row.payload, hook.deleted_at is not None
        if deleted:
            with sessions.begin() as session:
                row = session.get_one(WebhookDelivery, delivery_id)
                row.status, row.last_error, row.claimed_at = "failed", "the webhook was deleted", None
            counts["dropped"] += 1
            continue
        body = json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()
        try:
            check_target(url, allow_private=allow_private, resolver=resolver)  # the name may point elsewhere now
            answer = send(url, body, {"Content-Type": "application/json", HEADER: sign(secret, now, body),
                                      "User-Agent": "dunning-webhooks/1", "Dunning-Event-Id": payload["id"]})
        except WebhookRefused as exc:
            answer = Answer(None, str(exc))
        with sessions.begin() as session:
            row = session.get_one(WebhookDelivery, delivery_id)
            row.attempts += 1
            row.claimed_at, row.last_status_code, row.last_error = None, answer.status, answer.error
            if answer.error is None:
                row.status, row.delivered_at, row.next_attempt_at = "delivered", now, None
                counts["delivered"] += 1
                continue
            row.next_attempt_at = schedule.next_attempt(row.attempts, now, rng)
            if row.next_attempt_at is None:
                row.status = "failed"
                counts["failed"] += 1
                log.warning("webhook delivery %s failed for good after %s attempts: %s", delivery_id,
                            row.attempts, answer.error)
            else:
                counts["retrying"] += 1
    return counts


def next_due(sessions: sessionmaker[Session]) -> datetime | None:
    """When the earliest pending retry is due (None: nothing waits, or something is due at once)."""
    with sessions() as session:
        return session.scalar(select(func.min(WebhookDelivery.next_attempt_at)).where(
            and_(WebhookDelivery.status == "pending", WebhookDelivery.next_attempt_at.is_not(None))))
