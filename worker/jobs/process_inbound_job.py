"""rq job: process one stored inbound message; and the runner that hands an ingest pass's messages to rq."""

from __future__ import annotations

import time
from collections.abc import Callable, Collection
from datetime import datetime

from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from worker.composition import current
from worker.db.models import InboundMessage
from worker.jobs.queue import queue
from worker.usecases.parser_warmup import warm_parsers
from worker.usecases.process_inbound import Outcome, process_inbound

JOB = "worker.jobs.process_inbound_job.process_inbound_job"
POLL_SECONDS = 0.05
_IN_CHUNK = 500


def job_id(inbound_id: int) -> str:
    """One job per stored message: a second pass (or a retry) finds it instead of adding another."""
    return f"process-inbound-{inbound_id}"


def process_inbound_job(inbound_id: int) -> str:
    container = current()
    warm_parsers()  # once per worker process: its sandbox children inherit the parsers' tables
    settings = container.settings
    return process_inbound(container.sessions, inbound_id, letters=container.letter_settings(),
                           now=container.clock(), authserv_id=settings.authserv_id,
                           max_attempts=settings.inbound_max_attempts).status


def enqueue_process(redis: Redis, inbound_id: int) -> None:
    """Make sure the message's one job waits to run: a queued or running one is left alone; a finished or
    failed one is replaced (process_inbound itself returns at once for a message that is done)."""
    try:
        job = Job.fetch(job_id(inbound_id), connection=redis)
    except NoSuchJobError:
        job = None
    if job is not None:
        if job.get_status(refresh=False) in (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED,
                                             JobStatus.SCHEDULED):
            return
        job.delete()
    # The row is the record: a lost result changes nothing, so results are not kept for long.
    queue(redis).enqueue(JOB, inbound_id, job_id=job_id(inbound_id), result_ttl=600, failure_ttl=86400)


class RqRunner:
    """Hands messages to whichever rq workers run (any process), and reads their outcomes from the database:
    a message is done when it left `stored`, or was given a later attempt after it was submitted.

    The pass is a worker too: while none of its messages is done it takes one still waiting in the queue (an
    atomic LREM: either it or an rq worker has the job, never both) and processes it here. So ingest goes on
    when every rq worker is busy for minutes (a send held by a slow SMTP server), as it did before the jobs.
    """

    def __init__(self, redis: Redis, sessions: sessionmaker[Session], now: datetime,
                 handle: Callable[[int], Outcome]) -> None:
        self._redis, self._sessions, self._since, self._handle = redis, sessions, now, handle
        self._queue = queue(redis)
        self._submitted: set[int] = set()
        self._taken: set[int] = set()  # no longer in the queue: a worker has it (or had it)

    def submit(self, inbound_id: int) -> None:
        if inbound_id not in self._submitted:
            enqueue_process(self._redis, inbound_id)
            self._submitted.add(inbound_id)

    def finished(self, ids: Collection[int], wait: float) -> dict[int, Outcome]:
        wanted = [i for i in ids if i in self._submitted]
        deadline = time.monotonic() + wait
        while wanted:
            done = self._done(wanted) or self._take_one(wanted)
            if done or time.monotonic() >= deadline:
                self._submitted.difference_update(done)
                return done
            time.sleep(POLL_SECONDS)  # polling the rows the workers write; the pass has nothing else to do
        return {}

    def _take_one(self, ids: list[int]) -> dict[int, Outcome]:
        for inbound_id in reversed(ids):  # from the tail: the workers take the queue's head
            if inbound_id in self._taken:
                continue
            self._taken.add(inbound_id)
            if self._queue.remove(job_id(inbound_id)):
                self._redis.delete(Job.key_for(job_id(inbound_id)))
                return {inbound_id: self._handle(inbound_id)}
        return {}

    def _done(self, ids: list[int]) -> dict[int, Outcome]:
        found: dict[int, Outcome] = {}
        with self._sessions.begin() as session:
            for start in range(0, len(ids), _IN_CHUNK):
                rows = session.execute(select(InboundMessage.id, InboundMessage.status, InboundMessage.kind,
                                              InboundMessage.reason, InboundMessage.next_attempt_at)
                                       .where(InboundMessage.id.in_(ids[start:start + _IN_CHUNK]))).all()
                for inbound_id, status, kind, reason, next_attempt_at in rows:
                    if status != "stored":
                        found[inbound_id] = Outcome(inbound_id, status, kind, reason)
                    elif next_attempt_at is not None and _naive(next_attempt_at) > _naive(self._since):
                        found[inbound_id] = Outcome(inbound_id, "pending", kind, reason)
        return found

    def close(self) -> None:
        self._submitted.clear()
        self._taken.clear()


def _naive(at: datetime) -> datetime:
    # SQLite hands back naive UTC datetimes, PostgreSQL aware ones.
    return at.replace(tzinfo=None) if at.tzinfo is not None else at
