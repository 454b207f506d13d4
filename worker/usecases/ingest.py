"""Read the service mailbox: store each message, process it, file it away; remember where we stopped."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from mailer.mailbox import Cursor, Mailbox
from worker.adapters.letters import LetterSettings
from worker.db.models import MailboxState
from worker.usecases.inbound_store import store_inbound
from worker.usecases.process_inbound import SENT_COPY_KIND, Outcome, process_inbound

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Folders:
    processed: str
    quarantine: str
    sent: str = "Sent"


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)


def load_cursor(sessions: sessionmaker[Session], mailbox_name: str) -> Cursor | None:
    with sessions.begin() as session:
        state = session.get(MailboxState, mailbox_name)
        return Cursor(state.uidvalidity, state.last_uid) if state else None


def save_cursor(sessions: sessionmaker[Session], mailbox_name: str, cursor: Cursor) -> None:
    with sessions.begin() as session:
        state = session.get(MailboxState, mailbox_name)
        if state is None:
            session.add(MailboxState(mailbox=mailbox_name, uidvalidity=cursor.uidvalidity, last_uid=cursor.last_uid))
        else:
            state.uidvalidity, state.last_uid = cursor.uidvalidity, cursor.last_uid


def ingest_once(
    sessions: sessionmaker[Session], mailbox: Mailbox, mailbox_name: str, *, letters: LetterSettings,
    folders: Folders, now: Callable[[], datetime], authserv_id: str | None = None,
) -> IngestReport:
    """Handle every message after the saved cursor; safe to repeat (a stored message is not stored twice)."""
    report = IngestReport()
    for item in mailbox.fetch(load_cursor(sessions, mailbox_name)):
        inbound_id, _created = store_inbound(sessions, item.raw, mailbox_uid=str(item.uid), now=now())
        outcome = process_inbound(sessions, inbound_id, letters=letters, now=now(), authserv_id=authserv_id)
        report.outcomes.append(outcome)
        # Filed only after the raw bytes are committed: a crash before this line leaves the message in
        # the inbox, and the next pass finds it stored and finishes the job.
        mailbox.move(item.uid, folders.quarantine if outcome.status == "quarantined"
                     else folders.sent if outcome.kind == SENT_COPY_KIND else folders.processed)
        if item.cursor is not None:
            save_cursor(sessions, mailbox_name, item.cursor)
    return report
