"""Store each raw inbound message exactly once, before anything else is done with it."""

import hashlib
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from mailer.message import message_key
from worker.db.models import InboundMessage

MAX_STORED_HEADER = 500
# Room left in `message_key` for "#sha256:<64 hex>" when one Message-ID arrives with other bytes.
_VARIANT_SUFFIX = len("#sha256:") + 64


def store_inbound(
    sessions: sessionmaker[Session], raw: bytes, *, mailbox_uid: str | None, now: datetime,
    uidvalidity: int | None = None,
) -> tuple[int, bool]:
    """Return (id, created). The same bytes are stored once; a known Message-ID with other bytes is a new
    message (a sender reusing IDs, or junk claiming one), stored under its ID plus its hash and linked."""
    digest = hashlib.sha256(raw).hexdigest()
    key = message_key(raw)[:MAX_STORED_HEADER]
    with sessions.begin() as session:
        existing = _by_content(session, digest)
        if existing is not None:
            return existing, False
        earlier = session.scalars(select(InboundMessage.id).where(InboundMessage.message_key == key)).first()
    if earlier is not None:
        key = f"{key[:MAX_STORED_HEADER - _VARIANT_SUFFIX]}#sha256:{digest}"
    try:
        with sessions.begin() as session:
            row = InboundMessage(
                message_key=key, raw=raw, mailbox_uid=mailbox_uid, mailbox_uidvalidity=uidvalidity,
                status="stored", received_at=now, content_hash=digest, attempts=0, same_message_id_as=earlier)
            session.add(row)
            session.flush()
            return row.id, True
    except IntegrityError:
        # Another watcher stored the same message between our check and our insert.
        with sessions.begin() as session:
            found = _by_content(session, digest)
            if found is None:
                found = session.scalars(select(InboundMessage.id).where(InboundMessage.message_key == key)).one()
            return found, False


def _stale_sqlite_snapshot(sessions: sessionmaker[Session], exc: OperationalError) -> bool:
    bind = sessions.kw.get("bind")
    return bind is not None and bind.dialect.name == "sqlite" and "locked" in str(exc.orig)


def _by_content(session: Session, digest: str) -> int | None:
    return session.scalars(select(InboundMessage.id).where(InboundMessage.content_hash == digest)
                           .order_by(InboundMessage.id)).first()


def store_inbound_many(
    sessions: sessionmaker[Session], messages: Sequence[tuple[bytes, str | None, int | None]], *, now: datetime,
) -> list[tuple[int, bool]]:
    """`store_inbound` for a fetched batch of (raw, mailbox UID, UIDVALIDITY) in one transaction: two look-ups
    and one multi-row INSERT instead of three statements and two commits a message. Same rows, same answers, in
    order; when another watcher stored one of them meanwhile, the batch is stored one message at a time."""
    if not messages:
        return []
    digests = [hashlib.sha256(raw).hexdigest() for raw, _, _ in messages]
    keys = [message_key(raw)[:MAX_STORED_HEADER] for raw, _, _ in messages]
    try:
        with sessions.begin() as session:
            by_content: dict[str, int | InboundMessage] = dict(session.execute(  # type: ignore[arg-type]
                select(InboundMessage.content_hash, func.min(InboundMessage.id))
                .where(InboundMessage.content_hash.in_(set(digests))).group_by(InboundMessage.content_hash)).all())
            by_key: dict[str, int | InboundMessage] = dict(session.execute(  # type: ignore[arg-type]
                select(InboundMessage.message_key, func.min(InboundMessage.id))
                .where(InboundMessage.message_key.in_(set(keys))).group_by(InboundMessage.message_key)).all())
            found: list[tuple[int | InboundMessage, bool]] = []
            for (raw, uid, uidvalidity), digest, key in zip(messages, digests, keys, strict=True):
                if digest in by_content:  # stored before, or earlier in this batch (the same bytes twice)
                    found.append((by_content[digest], False))
                    continue
                earlier = by_key.get(key)
                if isinstance(earlier, InboundMessage):
                    session.flush()  # a Message-ID reused within the batch: the earlier row needs its id now
                    earlier = earlier.id
                stored_key = key if earlier is None else f"{key[:MAX_STORED_HEADER - _VARIANT_SUFFIX]}#sha256:{digest}"
                row = InboundMessage(
                    message_key=stored_key, raw=raw, mailbox_uid=uid, mailbox_uidvalidity=uidvalidity,
                    status="stored", received_at=now, content_hash=digest, attempts=0, same_message_id_as=earlier)
                session.add(row)
                by_content[digest] = row
                by_key.setdefault(key, row)
                found.append((row, True))
            session.flush()
            return [(r.id if isinstance(r, InboundMessage) else r, created) for r, created in found]
    except (IntegrityError, OperationalError) as exc:
        # Another watcher stored one of them between our look-ups and our insert (on SQLite: wrote anything, so
        # our read snapshot cannot become a write): one at a time sorts it out.
        if isinstance(exc, OperationalError) and not _stale_sqlite_snapshot(sessions, exc):
            raise
        return [store_inbound(sessions, raw, mailbox_uid=uid, now=now, uidvalidity=uidvalidity)
                for raw, uid, uidvalidity in messages]
