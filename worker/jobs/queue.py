"""Enqueue jobs with deterministic ids and declared retries (the only place that names rq queues)."""

from redis import Redis
from rq import Queue, Retry
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

QUEUE_NAME = "dunning"
# Transient SMTP failures: retry after 1, 5, 15 and 60 minutes; the tick's sweep catches anything later.
SEND_RETRY = Retry(max=4, interval=[60, 300, 900, 3600])


def queue(redis: Redis) -> Queue:
    return Queue(QUEUE_NAME, connection=redis)


def enqueue_send(redis: Redis, outbound_id: int, attempt: int = 0) -> None:
    """Enqueue the send job for one outbox row unless that attempt is already waiting.

    The job id carries the row's claim count: after a worker died holding a claim, the sweep's new
    attempt gets a fresh job instead of being mistaken for the dead worker's "started" one. Running a
    send job twice is harmless: the row's claim lets only one of them send.
    """
    job_id = f"send-outbound-{outbound_id}-{attempt}"
    try:
        status = Job.fetch(job_id, connection=redis).get_status()
        if status in (JobStatus.QUEUED, JobStatus.SCHEDULED, JobStatus.DEFERRED):
            return
    except NoSuchJobError:
        pass
    queue(redis).enqueue("worker.jobs.send_letter.send_letter", outbound_id, job_id=job_id, retry=SEND_RETRY)


def enqueue_tick_once(redis: Redis, slot: int) -> None:
    """Enqueue the tick for one time slot; a second scheduler asking for the same slot adds nothing."""
    job_id = f"tick-{slot}"
    try:
        Job.fetch(job_id, connection=redis)
        return
    except NoSuchJobError:
        queue(redis).enqueue("worker.jobs.tick.tick", None, job_id=job_id, result_ttl=3600, failure_ttl=86400)
