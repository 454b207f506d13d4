"""The retention purge: inbound messages' raw bytes are emptied after the retention period; their rows, what was
read from them and the timeline stay. Messages not yet handled and the e-mails invoices arrived in are kept."""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from worker.db.models import InboundMessage, Invoice

BATCH = 1_000  # rows per transaction: a long purge never holds many locks, and resumes where it stopped


def purge_candidates(before: datetime, limit: int):  # type: ignore[no-untyped-def]
    """Received before `before`, not purged yet, handled (not `stored`), not an invoice's source: by the 0018 index."""
    return (select(InboundMessage.id)
            .where(InboundMessage.raw_purged_at.is_(None), InboundMessage.received_at < before,
                   InboundMessage.status != "stored",
                   ~select(Invoice.id).where(Invoice.source_message_id == InboundMessage.id).exists())
            .order_by(InboundMessage.received_at, InboundMessage.id).limit(limit))


def purge_batch(session: Session, before: datetime, now: datetime, limit: int = BATCH) -> int:
    """Empty the raw bytes of up to `limit` messages due for the purge; returns how many."""
    ids = session.scalars(purge_candidates(before, limit)).all()
    if ids:
        session.execute(update(InboundMessage).where(InboundMessage.id.in_(ids))
                        .values(raw=b"", raw_purged_at=now).execution_options(synchronize_session=False))
    return len(ids)


def purge_raw_messages(sessions: sessionmaker[Session], *, retention_days: int, now: datetime) -> dict[str, object]:
    """Purge every message received more than `retention_days` before `now`, a batch per transaction."""
    before = now - timedelta(days=retention_days)
    purged = 0
    while True:
        with sessions.begin() as session:
            done = purge_batch(session, before, now)
        purged += done
        if done < BATCH:
            return {"now": now.isoformat(), "received_before": before.isoformat(), "purged": purged}
