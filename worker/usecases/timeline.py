"""Append a fact to the timeline; the only way events are written."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from worker.db.models import TimelineEvent
from worker.domain.events import EventKind


def record_event(
    session: Session,
    kind: EventKind,
    *,
    at: datetime,
    business_id: int,
    invoice_id: int | None = None,
    debtor_id: int | None = None,
    inbound_message_id: int | None = None,
    outbound_message_id: int | None = None,
    **data: Any,
) -> TimelineEvent:
    """Add one event to the session (committed with the caller's transaction)."""
    event = TimelineEvent(
        kind=kind.value,
        at=at,
        business_id=business_id,
        invoice_id=invoice_id,
        debtor_id=debtor_id,
        inbound_message_id=inbound_message_id,
        outbound_message_id=outbound_message_id,
        data=data,
    )
    session.add(event)
    return event
