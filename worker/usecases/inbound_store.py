"""Store each raw inbound message exactly once, before anything else is done with it."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from mailer.message import message_key
from worker.db.models import InboundMessage

MAX_STORED_HEADER = 500


def store_inbound(
    sessions: sessionmaker[Session], raw: bytes, *, mailbox_uid: str | None, now: datetime
) -> tuple[int, bool]:
    """Return (id, created); a message already stored (same Message-ID or same bytes) is not stored again."""
    key = message_key(raw)[:MAX_STORED_HEADER]
    with sessions.begin() as session:
        existing = session.scalars(select(InboundMessage.id).where(InboundMessage.message_key == key)).first()
        if existing is not None:
            return existing, False
    try:
        with sessions.begin() as session:
            row = InboundMessage(
                message_key=key, raw=raw, mailbox_uid=mailbox_uid, status="stored", received_at=now
            )
            session.add(row)
            session.flush()
            return row.id, True
    except IntegrityError:
        # Another watcher stored the same message between our check and our insert.
        with sessions.begin() as session:
            return session.scalars(select(InboundMessage.id).where(InboundMessage.message_key == key)).one(), False
