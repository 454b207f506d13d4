"""Enqueue jobs with deterministic ids (the only place that names rq queues and builds rq retries)."""

import math
from datetime import datetime

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import InvalidJobOperation, NoSuchJobError
from rq.job import Job, JobStatus

QUEUE_NAME = "dunning"
SEND_JOB = "worker.jobs.send_letter.send_letter"
# The database's retry schedule bounds the attempts; this only stops rq from failing a job that was
# deferred night after night (a returned Retry counts as one of rq's retries).
RESCHEDULES = 100_000


def queue(redis: Redis) -> Queue:
    return Queue(QUEUE_NAME, connection=redis)


def send_job_id(outbound_id: int) -> str:
    """One job per outbox row, whatever its attempt: a sweep or a second worker finds it instead of adding one."""
    return f"send-outbound-{outbound_id}"


def enqueue_send(redis: Redis, outbound_id: int, claim_expired: bool = False) -> None:
    """Make sure the row's one send job is waiting to run now (the caller knows the row is due).

    Queued: left alone. Started: a worker has it, unless the row's claim expired (that worker died), then
    it starts again. Scheduled for later (rq's own clock, or no scheduler running): due by the database,
    so it moves to the queue now. Finished, failed or gone (Redis flushed): enqueued again under the same id.
    Running a send job twice is harmless: the row's claim lets only one of them send.
    """
    job_id = send_job_id(outbound_id)
    jobs = queue(redis)
    try:
        job = Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        job = None
    if job is not None:
        status = job.get_status(refresh=False)
        if status in (JobStatus.QUEUED, JobStatus.DEFERRED) or (status == JobStatus.STARTED and not claim_expired):
            return
        if status == JobStatus.SCHEDULED:
            try:
                jobs.scheduled_job_registry.requeue(job)
                return
            except InvalidJobOperation:  # rq's scheduler moved it first, or the registry lost it
                pass
        job.delete()
    jobs.enqueue(SEND_JOB, outbound_id, job_id=job_id)


def retry_at(at: datetime, now: datetime) -> Retry:
    """What a send job returns to have rq run the same job (same id) again at `at`."""
    return Retry(max=RESCHEDULES, interval=max(1, math.ceil((at - now).total_seconds())))


def enqueue_recompute_once(redis: Redis, day: str) -> None:
    """Enqueue the daily full recomputation of `next_action_at` for `day`; once per day, whoever asks."""
    _enqueue_once(redis, f"recompute-next-actions-{day}", "worker.jobs.recompute.recompute",
                  job_timeout=4 * 3600, result_ttl=2 * 86400, failure_ttl=7 * 86400)


def enqueue_purge_once(redis: Redis, day: str) -> None:
    """Enqueue the daily retention purge of inbound messages' raw bytes for `day`; once per day, whoever asks."""
    _enqueue_once(redis, f"purge-raw-messages-{day}", "worker.jobs.purge.purge",
                  job_timeout=4 * 3600, result_ttl=2 * 86400, failure_ttl=7 * 86400)


def enqueue_tick_once(redis: Redis, slot: int) -> None:
    """Enqueue the tick for one time slot; a second scheduler asking for the same slot adds nothing."""
    _enqueue_once(redis, f"tick-{slot}", "worker.jobs.tick.tick", result_ttl=3600, failure_ttl=86400)


def _enqueue_once(redis: Redis, job_id: str, function: str, **options: int) -> None:
    """The job `function(None)` under `job_id`, unless a job of that id exists (queued, running or kept)."""
    try:
        Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        queue(redis).enqueue(function, None, job_id=job_id, **options)
