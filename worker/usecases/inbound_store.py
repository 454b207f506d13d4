"""Store each raw inbound message exactly once, before anything else is done with it."""

import hashlib
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
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


def _by_content(session: Session, digest: str) -> int | None:
    return session.scalars(select(InboundMessage.id).where(InboundMessage.content_hash == digest)
                           .order_by(InboundMessage.id)).first()
