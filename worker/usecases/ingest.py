"""Read the service mailbox: store each message, process it, file it away; remember where we stopped."""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session, sessionmaker

from mailer.mailbox import Cursor, Mailbox, MailboxError, MailboxItem
from worker.adapters.letters import LetterSettings
from worker.db.models import InboundMessage, MailboxState
from worker.sandbox import close_warm_children
from worker.usecases.inbound_faults import Fault, classify, describe
from worker.usecases.inbound_runners import InlineRunner, Runner
from worker.usecases.inbound_store import store_inbound_many
from worker.usecases.notices import flush_notices
from worker.usecases.parser_warmup import warm_parsers
from worker.usecases.process_inbound import DEFAULT_MAX_ATTEMPTS, FINAL, SENT_COPY_KIND, Outcome, process_inbound

log = logging.getLogger(__name__)

# A message stored but never processed (a crash between the two) is picked up from the database after this.
ORPHAN_AFTER = timedelta(minutes=10)
RETRIES_PER_PASS = 100
# Messages fetched and stored but not yet filed; fetching pauses (and files) when this many are in flight.
MAX_IN_FLIGHT = 400
# Fetched messages stored per transaction (one commit, two look-ups and one INSERT for all of them).
STORE_BATCH = 50
FILE_EVERY = 100  # file what is finished after this many fetched, so a long pass moves mail as it goes
SETTLE_POLL = 0.5
# A pass stops waiting for messages nobody finished for this long (no rq worker running); they stay stored.
STALL_SECONDS = 120.0


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
    max_attempts: int = DEFAULT_MAX_ATTEMPTS, runner: Runner | None = None, stall_seconds: float = STALL_SECONDS,
) -> IngestReport:
    """Retry what is due, then handle every message after the saved cursor; safe to repeat.

    Each fetched message is stored (committed) first, then handed to `runner` (this process by default; a pool
    of processes or the rq workers), and filed in batches once its outcome is known. The cursor only moves past
    messages that are stored and finished (filed, or pending in the database), so a crash anywhere leaves the
    rest to the next pass: it finds them stored, processes what is not done, and files what is.

    No message stops the ones behind it: each ends processed, quarantined or failed, or stays pending in the
    database (a transient error, or a bug before its last attempt) where the next passes retry it on its
    back-off while the cursor moves on. Only the database being away ends a pass early: then nothing can be
    stored, and the mail waits in the mailbox.
    """
    report = IngestReport()
    warm_parsers()

    def handle(inbound_id: int) -> Outcome:
        return process_inbound(sessions, inbound_id, letters=letters, now=now(), authserv_id=authserv_id,
                               max_attempts=max_attempts)

    runner = runner or InlineRunner(handle)
    batch = _Batch(sessions, mailbox, mailbox_name, folders, runner, report, stall_seconds)
    try:
        _retry_due(sessions, mailbox, now(), batch)
        for items in _chunks(mailbox.fetch(load_cursor(sessions, mailbox_name)), STORE_BATCH):
            stored = store_inbound_many(sessions, [
                (item.raw, str(item.uid), item.cursor.uidvalidity if item.cursor else None) for item in items],
                now=now())
            # Filed only after the raw bytes are committed: a crash before the move leaves the message in the
            # inbox, and the next pass finds it stored and finishes the job.
            for item, (inbound_id, _created) in zip(items, stored, strict=True):
                batch.add(_Entry(inbound_id, item.uid, item.cursor))
        batch.settle(until_empty=True)
        with sessions.begin() as session:
            flush_notices(session, now(), letters)
    except MailboxError:
        raise  # the watcher reconnects
    except Exception as exc:
        if classify(exc) is not Fault.TRANSIENT:
            raise
        report.stopped = f"database unavailable: {describe(exc)}"
        log.warning("ingest pass stopped: %s", report.stopped)
    finally:
        # The warm parse children live for one pass: waited for here, their CPU and memory count as this one's.
        close_warm_children()
    return report


@dataclass
class _Entry:
    inbound_id: int
    uid: int | str | None  # None: not to be filed (a retry whose UID no longer names it)
    cursor: Cursor | None  # where the cursor may move once this and all before it are finished (IMAP only)
    fetched: bool = True  # False: a retry from the database, not read from the mailbox in this pass
    outcome: Outcome | None = None
    filed: bool = False


class _Batch:
    """Messages in flight in one pass, in fetch order: collects their outcomes, files the finished ones in
    batches per folder, and moves the cursor past the finished prefix."""

    def __init__(self, sessions: sessionmaker[Session], mailbox: Mailbox, mailbox_name: str, folders: Folders,
                 runner: Runner, report: IngestReport, stall_seconds: float) -> None:
        self.sessions, self.mailbox, self.mailbox_name, self.folders = sessions, mailbox, mailbox_name, folders
        self.runner, self.report, self.stall_seconds = runner, report, stall_seconds
        self.entries: list[_Entry] = []
        self.outcomes: dict[int, Outcome] = {}  # every id finished in this pass, reported once
        self.submitted: set[int] = set()
        self.retried: set[int] = set()
        self.added = 0

    def add(self, entry: _Entry) -> None:
        # One message in the inbox twice (same bytes, two UIDs) is one row: processed once, filed twice.
        if entry.inbound_id not in self.submitted:
            self.submitted.add(entry.inbound_id)
            self.runner.submit(entry.inbound_id)
        self.entries.append(entry)
        self.added += 1
        if len(self.entries) >= MAX_IN_FLIGHT:
            self.settle(until_empty=False)
        elif self.added % FILE_EVERY == 0:
            self.settle(until_empty=False, wait=0)

    def settle(self, *, until_empty: bool, wait: float | None = None) -> None:
        """Collect outcomes, file and advance; `until_empty` waits for all (a pass's end), else for some room."""
        last_progress = time.monotonic()
        while self.entries:
            waiting = {e.inbound_id for e in self.entries if e.outcome is None} - self.outcomes.keys()
            if waiting:
                found = self.runner.finished(waiting, SETTLE_POLL if wait is None else wait)
                self.outcomes.update(found)
                if found:
                    last_progress = time.monotonic()
            for entry in self.entries:
                if entry.outcome is None and entry.inbound_id in self.outcomes:
                    entry.outcome = self.outcomes[entry.inbound_id]
                    # One outcome per message read (the same bytes twice: twice), a retry's not again when read.
                    if not entry.fetched:
                        self.retried.add(entry.inbound_id)
                    elif entry.inbound_id in self.retried:
                        continue
                    self.report.outcomes.append(entry.outcome)
            self._file_and_advance()
            if wait is not None or (not until_empty and len(self.entries) < MAX_IN_FLIGHT // 2):
                return
            if self.entries and time.monotonic() - last_progress > self.stall_seconds:
                # No worker takes them (none running, or all busy elsewhere): the cursor stays before them, and
                # the next pass finds them stored (their jobs deduplicated) and files them when they are done.
                log.warning("ingest pass: %d messages not finished after %.0f s; left for the next pass",
                            sum(1 for e in self.entries if e.outcome is None), self.stall_seconds)
                self.entries.clear()
                return

    def _file_and_advance(self) -> None:
        by_folder: dict[str, list[_Entry]] = {}
        for entry in self.entries:
            if entry.outcome is not None and not entry.filed:
                if entry.outcome.status in FINAL and entry.uid is not None:
                    by_folder.setdefault(_folder(entry.outcome, self.folders), []).append(entry)
                else:
                    entry.filed = True  # pending: it stays in the inbox, its retries run from the database
        for folder, entries in by_folder.items():
            try:
                self.mailbox.move_many([e.uid for e in entries if e.uid is not None], folder)
            except MailboxError:
                if any(e.fetched for e in entries):
                    raise  # the cursor stays before them: the next pass finds them stored and files them
                log.warning("could not file %d retried messages to %s; they stay in the inbox", len(entries), folder)
            for entry in entries:
                entry.filed = True
        # The cursor moves past the finished prefix only: an unfinished message holds everything after it.
        cursor = None
        while self.entries and self.entries[0].filed:
            cursor = self.entries.pop(0).cursor or cursor
        if cursor is not None:
            save_cursor(self.sessions, self.mailbox_name, cursor)


def _chunks(items: Iterable[MailboxItem], size: int) -> Iterator[list[MailboxItem]]:
    chunk: list[MailboxItem] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _folder(outcome: Outcome, folders: Folders) -> str:
    if outcome.status == "processed":
        # The server's copy of our own letter (the envelope-only copy to self) is kept with the sent mail.
        return folders.sent if outcome.kind == SENT_COPY_KIND else folders.processed
    return folders.quarantine


def _retry_due(sessions: sessionmaker[Session], mailbox: Mailbox, now: datetime, batch: _Batch) -> None:
    """Process the pending messages whose retry is due, and the ones a crash left stored but unprocessed."""
    with sessions.begin() as session:
        due = session.execute(select(InboundMessage.id, InboundMessage.mailbox_uid, InboundMessage.mailbox_uidvalidity)
                              .where(InboundMessage.status == "stored", or_(
                                  InboundMessage.next_attempt_at <= now,
                                  InboundMessage.next_attempt_at.is_(None) & (InboundMessage.received_at
                                                                              <= now - ORPHAN_AFTER)))
                              .order_by(InboundMessage.id).limit(RETRIES_PER_PASS)).all()
    if not due:
        return
    current = mailbox.cursor_state()
    for inbound_id, uid, uidvalidity in due:
        # A message still in the inbox is filed when done, if its UID still names it (same UIDVALIDITY). A
        # Maildir has no UIDVALIDITY: its next fetch finds the message stored and finished, and files it then.
        in_inbox = current is not None and uidvalidity == current.uidvalidity
        batch.add(_Entry(inbound_id, int(uid) if in_inbox and uid is not None else None, None, fetched=False))
    batch.settle(until_empty=True)
