"""Learn a debtor's language from how it writes back: a reply in English means English letters from now on.

A language a person set through the API is never overridden; one taken from the invoice is.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from parsers.reply import reply_language
from worker.db.models import Debtor, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.letter_plan import LANGUAGES
from worker.usecases.timeline import record_event


def _set_by_person(session: Session, debtor: Debtor) -> bool:
    updates = session.scalars(select(TimelineEvent.data).where(
        TimelineEvent.debtor_id == debtor.id, TimelineEvent.kind == EventKind.DEBTOR_UPDATED.value)).all()
    return any("language" in (data.get("changes") or {}) for data in updates)


def learn_reply_language(session: Session, debtor: Debtor, text: str, *, now: datetime,
                         invoice_id: int | None = None) -> str | None:
    """Switch the debtor's letters to the language of its reply `text`; the new language, or None (unchanged)."""
    language = reply_language(text) if text.strip() else None  # None: too short to tell, keep what we have
    if language not in LANGUAGES or language == debtor.language or _set_by_person(session, debtor):
        return None
    debtor.language = language
    record_event(session, EventKind.DEBTOR_UPDATED, at=now, business_id=debtor.business_id, invoice_id=invoice_id,
                 debtor_id=debtor.id, source="reply", language=language)
    return language
