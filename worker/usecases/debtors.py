"""Correct a debtor's details (contact, general address, postal address, language, country, consents)."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from worker.db.models import Debtor
from worker.domain.events import EventKind
from worker.usecases.timeline import record_event


def update_debtor(session: Session, debtor: Debtor, changes: dict[str, Any], now: datetime) -> Debtor:
    """Apply the given fields (addresses lower-cased) and record what changed; IntegrityError on a taken contact."""
    for key, value in changes.items():
        setattr(debtor, key, value.lower() if key.endswith("email") and value else value)
    if "contact_email" in changes:
        debtor.contact_undeliverable = False  # a new address deserves a fresh chance
    session.flush()
    record_event(session, EventKind.DEBTOR_UPDATED, at=now, business_id=debtor.business_id, debtor_id=debtor.id,
                 changes={k: str(v) for k, v in changes.items()})
    return debtor
