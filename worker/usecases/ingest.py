"""Read the service mailbox: store each message, process it, file it away; remember where we stopped."""

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from mailer.mailbox import Cursor, Mailbox, MailboxError
from worker.adapters.letters import LetterSettings
from worker.db.models import InboundMessage, MailboxState
from worker.usecases.inbound_faults import Fault, classify, describe
from worker.usecases.inbound_store import store_inbound
from worker.usecases.notices import flush_notices
from worker.usecases.process_inbound import DEFAULT_MAX_ATTEMPTS, FINAL, SENT_COPY_KIND, Outcome, process_inbound

log = logging.getLogger(__name__)

# A message stored but never processed (a crash between the two) is picked up from the database after this.
ORPHAN_AFTER = timedelta(minutes=10)
RETRIES_PER_PASS = 100


@dataclass(frozen=True)
class Folders:
    processed: str
    quarantine: str
    sent: str = "Sent"


@dataclass
class IngestReport:
    outcomes: list[Outcome] = field(default_factory=list)
    stopped: str | None = None  # why the pass ended early (the database away): the rest waits in the mailbox


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
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> IngestReport:
    """Retry what is due, then handle every message after the saved cursor; safe to repeat.

    No message stops the ones behind it: each ends processed, quarantined or failed, or stays pending in the
    database (a transient error, or a bug before its last attempt) where the next passes retry it on its
    back-off while the cursor moves on. Only the database being away ends a pass early: then nothing can be
    stored, and the mail waits in the mailbox.
    """
    report = IngestReport()

    def handle(inbound_id: int) -> Outcome:
        return process_inbound(sessions, inbound_id, letters=letters, now=now(), authserv_id=authserv_id,
                               max_attempts=max_attempts)

    try:
        retried = _retry_due(sessions, mailbox, folders, now(), handle, report)
        for item in mailbox.fetch(load_cursor(sessions, mailbox_name)):
            inbound_id, _created = store_inbound(sessions, item.raw, mailbox_uid=str(item.uid), now=now(),
                                                 uidvalidity=item.cursor.uidvalidity if item.cursor else None)
            outcome = retried.get(inbound_id) or handle(inbound_id)
            if inbound_id not in retried:
                report.outcomes.append(outcome)
            # Filed only after the raw bytes are committed: a crash before this line leaves the message in
            # the inbox, and the next pass finds it stored and finishes the job. A pending message stays in
            # the inbox (its retries run from the database).
            if outcome.status in FINAL:
                mailbox.move(item.uid, _folder(outcome, folders))
            if item.cursor is not None:
                save_cursor(sessions, mailbox_name, item.cursor)
        with sessions.begin() as session:
            flush_notices(session, now(), letters)
    except MailboxError:
        raise  # the watcher reconnects
    except Exception as exc:
        if classify(exc) is not Fault.TRANSIENT:
            raise
        report.stopped = f"database unavailable: {describe(exc)}"
        log.warning("ingest pass stopped: %s", report.stopped)
    return report


def _folder(outcome: Outcome, folders: Folders) -> str:
    if outcome.status == "processed":
        # The server's copy of our own letter (the envelope-only copy to self) is kept with the sent mail.
        return folders.sent if outcome.kind == SENT_COPY_KIND else folders.processed
    return folders.quarantine


def _retry_due(sessions: sessionmaker[Session], mailbox: Mailbox, folders: Folders, now: datetime,
               handle: Callable[[int], Outcome], report: IngestReport) -> dict[int, Outcome]:
    """Process the pending messages whose retry is due, and the ones a crash left stored but unprocessed."""
    with sessions.begin() as session:
        due = session.execute(select(InboundMessage.id, InboundMessage.mailbox_uid, InboundMessage.mailbox_uidvalidity)
                              .where(InboundMessage.status == "stored", or_(
                                  InboundMessage.next_attempt_at <= now,
                                  InboundMessage.next_attempt_at.is_(None) & (InboundMessage.received_at
                                                                              <= now - ORPHAN_AFTER)))
                              .order_by(InboundMessage.id).limit(RETRIES_PER_PASS)).all()
    current = mailbox.cursor_state() if due else None
    retried: dict[int, Outcome] = {}
    for inbound_id, uid, uidvalidity in due:
        outcome = retried[inbound_id] = handle(inbound_id)
        report.outcomes.append(outcome)
        # A message still in the inbox is filed now, if its UID still names it (same UIDVALIDITY). A Maildir
        # has no UIDVALIDITY: its next fetch finds the message stored and finished, and files it then.
        if outcome.status in FINAL and uid is not None and current is not None and uidvalidity == current.uidvalidity:
            try:
                mailbox.move(uid, _folder(outcome, folders))
            except MailboxError:
                log.warning("could not file inbound message %s (UID %s); it stays in the inbox", inbound_id, uid)
    return retried
