"""Long-running loops of a worker process: the mailbox watcher and the tick scheduler."""

import logging
import threading
from datetime import datetime

from mailer.urls import redact_url
from worker.composition import Container
from worker.jobs.queue import enqueue_tick_once
from worker.usecases.ingest import Folders, IngestReport, ingest_once

log = logging.getLogger(__name__)


def ingest_pass(container: Container, mailbox=None) -> IngestReport:  # type: ignore[no-untyped-def]
    """One pass over the service mailbox with the container's settings."""
    settings = container.settings
    own = mailbox is None
    mailbox = mailbox or container.open_mailbox()
    try:
        return ingest_once(
            container.sessions, mailbox, redact_url(settings.effective_mailbox_url),
            letters=container.letter_settings(),
            folders=Folders(settings.processed_folder, settings.quarantine_folder, settings.sent_folder),
            now=container.clock,
            authserv_id=settings.authserv_id, max_attempts=settings.inbound_max_attempts)
    finally:
        if own:
            mailbox.close()


def watch_mailbox(container: Container, stop: threading.Event) -> None:
    """Ingest, then wait (IMAP IDLE, or polling) for more; reconnect after errors without losing mail."""
    mailbox = None
    while not stop.is_set():
        try:
            mailbox = mailbox or container.open_mailbox()
            report = ingest_pass(container, mailbox)
            for outcome in report.outcomes:
                # Keys as extra: the structured renderer (worker.logs) makes them fields of the event.
                log.info("inbound_message_handled", extra={"inbound_id": outcome.inbound_id, "status": outcome.status,
                                                           "kind": outcome.kind, "reason": outcome.reason})
            mailbox.wait(container.settings.idle_timeout_seconds)
        except Exception:
            log.exception("mailbox watcher failed; reconnecting in 5 s")
            if mailbox is not None:
                try:
                    mailbox.close()
                except Exception:
                    log.debug("closing the broken mailbox failed too", exc_info=True)
            mailbox = None
            stop.wait(5)


def schedule_ticks(container: Container, stop: threading.Event) -> None:
    """Enqueue one tick per interval slot; the slot's job id makes extra schedulers harmless."""
    interval = container.settings.tick_interval_seconds
    while not stop.is_set():
        now: datetime = container.clock()
        try:
            enqueue_tick_once(container.require_redis(), int(now.timestamp()) // interval)
        except Exception:
            log.exception("could not enqueue the tick")
        stop.wait(interval - now.timestamp() % interval)


def start_thread(target, container: Container, stop: threading.Event, name: str) -> threading.Thread:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=target, args=(container, stop), name=name, daemon=True)
    thread.start()
    return thread
