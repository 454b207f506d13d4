"""The backstop: compute every open or paid invoice's `next_action_at` afresh, in batches (run daily).

The tick keeps the moments right incrementally (see `worker.db.fact_changes`); this repairs anything a change
outside the ORM may have missed. It decides exactly as the tick does (`due_batch.decide_batch`) and records
nothing.
"""

from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session, sessionmaker

from worker.db.models import RECOMPUTE, Invoice
from worker.domain.status import InvoiceStatus
from worker.usecases.due_batch import decide_batch

BATCH = 1_000
_LIVE = (InvoiceStatus.OPEN.value, InvoiceStatus.PAID.value)


def recompute_next_actions(sessions: sessionmaker[Session], now: datetime, batch: int = BATCH) -> int:
    """Rewrite the moment of every open or paid invoice; returns how many changed. An invoice whose moment
    changed meanwhile (a fact changed, a tick claimed it) or is marked "decide again" is left to the tick."""
    changed, after = 0, 0
    table = cast(Table, Invoice.__table__)
    while True:
        with sessions.begin() as session:
            seen = dict(session.execute(select(Invoice.id, Invoice.next_action_at).where(
                Invoice.id > after, Invoice.status.in_(_LIVE)).order_by(Invoice.id).limit(batch)).all())
            if not seen:
                return changed
            after = max(seen)
            decided = decide_batch(session, list(seen), now, group=False)
            rows = [{"invoice_id": i, "seen": seen[i], "moment": decided.next_at.get(i)} for i in seen
                    if seen[i] != RECOMPUTE and seen[i] != decided.next_at.get(i)]
            if rows:
                session.connection().execute(
                    update(table).where(table.c.id == bindparam("invoice_id"),
                                        table.c.next_action_at.is_not_distinct_from(bindparam("seen")))
                    .values(next_action_at=bindparam("moment")), rows)
                changed += len(rows)
