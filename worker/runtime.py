"""Long-running loops of a worker process: the mailbox watcher and the tick scheduler."""

import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime

from mailer.urls import redact_url
from worker.composition import Container
from worker.jobs.due_jobs import DueJobs
from worker.jobs.queue import enqueue_purge_once, enqueue_recompute_once, enqueue_tick_once, queue
from worker.jobs.webhook_delivery import enqueue_delivery
from worker.usecases.inbound_runners import PoolRunner, Runner
from worker.usecases.ingest import Folders, IngestReport, ingest_once
from worker.usecases.parser_warmup import warm_parsers
from worker.usecases.process_inbound import Outcome, process_inbound

log = logging.getLogger(__name__)


def ingest_pass(container: Container, mailbox=None, *, workers: int = 1, use_rq: bool = False) -> IngestReport:  # type: ignore[no-untyped-def]
    """One pass over the service mailbox with the container's settings.

    The messages are processed in this process (`workers` 1, or SQLite), in a pool of `workers` forked processes
    (PostgreSQL), or, with `use_rq` and a live rq worker on the queue, as rq jobs `process-inbound-{id}` by
    whichever workers run (and by this pass, for the jobs no worker has taken yet).
    """
    settings = container.settings
    own = mailbox is None
    mailbox = mailbox or container.open_mailbox()
    letters = container.letter_settings()
    warm_parsers()  # before the pool forks: its processes and their sandbox children inherit the tables
    runner = _runner(container, letters, workers=workers, use_rq=use_rq)
    try:
        return ingest_once(
            container.sessions, mailbox, redact_url(settings.effective_mailbox_url),
            letters=letters,
            folders=Folders(settings.processed_folder, settings.quarantine_folder, settings.sent_folder),
            now=container.clock,
            authserv_id=settings.authserv_id, max_attempts=settings.inbound_max_attempts, runner=runner)
    finally:
        if runner is not None:
            runner.close()
        if own:
            mailbox.close()


def _runner(container: Container, letters, *, workers: int, use_rq: bool) -> Runner | None:  # type: ignore[no-untyped-def]
    """None: this process, one message after the other (ingest_once's default)."""
    settings = container.settings

    def handle(inbound_id: int) -> Outcome:
        return process_inbound(container.sessions, inbound_id, letters=letters, now=container.clock(),
                               authserv_id=settings.authserv_id, max_attempts=settings.inbound_max_attempts)

    if use_rq and container.redis is not None and _rq_workers(container.redis) > 0:
        from worker.jobs.process_inbound_job import RqRunner

        return RqRunner(container.redis, container.sessions, container.clock(), handle)
    # SQLite has one writer, and processing holds the write lock while it reads the attachments: processes
    # would wait on each other (its busy handler sleeps up to 100 ms a try), slower than one after the other.
    if workers > 1 and container.engine.dialect.name != "sqlite":
        return PoolRunner(handle, container.engine, workers)
    return None


def _rq_workers(redis) -> int:  # type: ignore[no-untyped-def]
    """rq workers registered on the queue now (a pass without any processes its messages itself)."""
    from redis.exceptions import RedisError
    from rq import Worker

    try:
        return Worker.count(queue=queue(redis))
    except RedisError as exc:
        log.warning("Redis unreachable (%s); this pass processes its messages itself", exc)
        return 0


def _always() -> bool:
    return True


def watch_mailbox(container: Container, stop: threading.Event, holds: Callable[[], bool] = _always) -> None:
    """Ingest, then wait (IMAP IDLE, or polling) for more; reconnect after errors without losing mail.

    `holds` says whether this process still holds the watcher's lease; it is asked before every pass, so a
    process that lost the lease (its database connection died) stops before it reads the mailbox again.
    """
    mailbox = None
    while not stop.is_set() and holds():
        try:
            mailbox = mailbox or container.open_mailbox()
            # The mail is processed by the rq workers when any run (this process's own, in `dunning run`).
            report = ingest_pass(container, mailbox, use_rq=True)
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
    if mailbox is not None:
        try:
            mailbox.close()
        except Exception:
            log.debug("closing the mailbox at the end of the watch failed", exc_info=True)


RECOMPUTE_HOUR_UTC = 3  # night in Europe, where the businesses are: the full recomputation runs then


def schedule_ticks(container: Container, stop: threading.Event, holds: Callable[[], bool] = _always) -> None:
    """The scheduler: every second move due rq jobs (retries, deferred sends) onto the queue, and enqueue one
    tick per interval slot (the slot's job id makes a second scheduler, during a hand-over, harmless)."""
    from redis.exceptions import RedisError

    interval = container.settings.tick_interval_seconds
    redis = container.require_redis()
    due = DueJobs(redis)
    last_slot = None
    recomputed_on = None
    redis_down = False
    while not stop.is_set() and holds():
        now: datetime = container.clock()
        slot = int(now.timestamp()) // interval
        try:
            due.enqueue_due()
            if slot != last_slot:
                enqueue_tick_once(redis, slot)
                # The sweep for webhook deliveries whose kick was lost (Redis down at commit, a CLI that exited).
                enqueue_delivery(redis)
                last_slot = slot
            utc = now.astimezone(UTC)
            if utc.hour == RECOMPUTE_HOUR_UTC and utc.date() != recomputed_on:  # the backstop, off-peak, daily
                enqueue_recompute_once(redis, utc.date().isoformat())
                enqueue_purge_once(redis, utc.date().isoformat())  # the retention purge, same off-peak hour
                recomputed_on = utc.date()
            if redis_down:
                log.info("scheduler: Redis answers again")
            redis_down = False
        except RedisError as exc:  # Redis restarting: say so once, without a traceback a second
            if not redis_down:
                log.warning("scheduler: Redis unreachable (%s); retrying every second", exc)
            redis_down = True
        except Exception:
            log.exception("scheduler pass failed")
        stop.wait(1.0)


def start_thread(target, container: Container, stop: threading.Event, name: str) -> threading.Thread:  # type: ignore[no-untyped-def]
    thread = threading.Thread(target=target, args=(container, stop), name=name, daemon=True)
    thread.start()
    return thread
