"""A business's API keys: issue, find, list, revoke and rotate; only hashes are stored."""

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, aliased

from worker.db.models import ApiKey, Business

KEY_START = "dk_"
PREFIX_LENGTH = 8
# Writing last_used_at on every request would turn each read into a write; a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class ApiKeyNotFound(LookupError):
    """No key with that prefix."""


def hash_api_key(api_key: str) -> str:
    """Only a hash of each key is stored; the key itself is shown once, at creation."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def public_prefix(api_key: str) -> str | None:
    """The part of a key that may be shown and searched for: the first characters after `dk_`."""
    if not api_key.startswith(KEY_START) or len(api_key) < len(KEY_START) + PREFIX_LENGTH + 8:
        return None
    return api_key[len(KEY_START):len(KEY_START) + PREFIX_LENGTH]


def new_api_key(session: Session) -> str:
    """A fresh key whose prefix no stored key has (48 random bits make a clash unlikely, not impossible)."""
    while True:
        api_key = KEY_START + secrets.token_urlsafe(32)
        prefix = public_prefix(api_key) or ""
        if prefix.startswith("-"):  # `dunning key revoke -abc...` would read as an option
            continue
        if session.scalar(select(ApiKey.id).where(ApiKey.prefix == prefix)) is None:
            return api_key


def store_key(session: Session, business_id: int, api_key: str, *, label: str, now: datetime) -> ApiKey:
    row = ApiKey(business_id=business_id, prefix=public_prefix(api_key), key_hash=hash_api_key(api_key),
                 label=label[:100], created_at=now)
    session.add(row)
    session.flush()
    return row


def issue_key(session: Session, business_id: int, *, label: str, now: datetime) -> tuple[ApiKey, str]:
    """A new key for the business: the stored row and the key itself (to show once; it cannot be recovered)."""
    api_key = new_api_key(session)
    return store_key(session, business_id, api_key, label=label, now=now), api_key


def find_key(session: Session, api_key: str) -> ApiKey | None:
    """The stored key matching `api_key`, revoked or not; None when there is none. Only reads."""
    found = authenticate(session, api_key)
    return found[0] if found is not None else None


def authenticate(session: Session, api_key: str) -> tuple[ApiKey, Business] | None:
    """The stored key matching `api_key` (revoked or not) and its business, in one query; None when there is none.

    Found by its prefix, then the hashes are compared in constant time. A key carried over from before
    prefixes existed is found by its hash alone (the database compares a digest of the input, which tells
    an attacker nothing); `record_use` then gives it its prefix. Key and business come in one round trip
    because every API request asks: the key is checked afresh each time, so a revocation counts at once.
    """
    prefix = public_prefix(api_key)
    if prefix is None:
        return None
    digest = hash_api_key(api_key)
    with_business = select(ApiKey, Business).join(Business, Business.id == ApiKey.business_id)
    row = session.execute(with_business.where(ApiKey.prefix == prefix)).first()
    if row is not None and hmac.compare_digest(row[0].key_hash, digest):
        return row[0], row[1]
    carried = session.execute(with_business.where(ApiKey.prefix.is_(None), ApiKey.key_hash == digest)).first()
    if carried is None or not hmac.compare_digest(carried[0].key_hash, digest):
        return None
    return carried[0], carried[1]


def use_worth_recording(row: ApiKey, now: datetime) -> bool:
    """Whether `record_use` has anything to write (most requests do not: that keeps reads free of writes)."""
    return row.prefix is None or row.last_used_at is None or now - row.last_used_at >= LAST_USED_PRECISION


def record_use(session: Session, key_id: int, api_key: str, now: datetime) -> None:
    """Note when a key was last used, and give a carried-over key its prefix (unless a newer key has taken it;
    then the old key keeps working without one). Meant for its own short transaction."""
    session.execute(update(ApiKey).where(
        ApiKey.id == key_id, or_(ApiKey.last_used_at.is_(None), ApiKey.last_used_at <= now - LAST_USED_PRECISION))
        .values(last_used_at=now))
    prefix = public_prefix(api_key)
    other = aliased(ApiKey)  # not the row being updated: any row
    taken = select(other.id).where(other.prefix == prefix).exists()
    session.execute(update(ApiKey).where(ApiKey.id == key_id, ApiKey.prefix.is_(None), ~taken).values(prefix=prefix))


def list_keys(session: Session, business_id: int) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).where(ApiKey.business_id == business_id).order_by(ApiKey.id)))


def revoke_key(session: Session, prefix: str, now: datetime) -> tuple[ApiKey, bool]:
    """Revoke the key with this prefix: (its row, False when it was revoked before and keeps that time)."""
    row = session.scalars(select(ApiKey).where(ApiKey.prefix == prefix)).first()
    if row is None:
        raise ApiKeyNotFound(f"no API key with prefix {prefix!r}; `dunning key list --business NAME` shows them")
    if row.revoked_at is not None:
        return row, False
    row.revoked_at = now
    return row, True


def rotate_keys(session: Session, business_id: int, *, label: str, now: datetime) -> tuple[ApiKey, str, list[ApiKey]]:
    """Issue a new key and revoke every other key of the business: (new row, new key, the rows revoked)."""
    revoked = [row for row in list_keys(session, business_id) if row.revoked_at is None]
    for row in revoked:
        row.revoked_at = now
    new_row, api_key = issue_key(session, business_id, label=label, now=now)
    return new_row, api_key, revoked
