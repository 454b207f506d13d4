"""rq job: deliver the webhook events that are due; and the kick that has it run after a commit wrote some."""

import logging
import threading
from datetime import datetime

from redis import Redis
from redis.exceptions import RedisError
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

from worker.composition import Container, current
from worker.jobs.queue import queue
from worker.usecases.webhook_delivery import deliver_due, next_due
from worker.usecases.webhook_outbox import watch_webhooks

log = logging.getLogger(__name__)
JOB = "worker.jobs.webhook_delivery.deliver_webhooks_job"
JOB_ID = "deliver-webhooks"


def deliver_webhooks_job() -> dict[str, int]:
    container = current()
    counts = deliver_due(container.sessions, container.clock(),
                         allow_private=container.settings.webhook_allow_private)
    if container.redis is not None:
        later = next_due(container.sessions)
        if later is not None:  # the earliest retry: rq's scheduler (worker.jobs.due_jobs) moves it to the queue
            _schedule(container.redis, later)
    return counts


def _schedule(redis: Redis, at: datetime) -> None:
    job_id = f"{JOB_ID}-at-{int(at.timestamp())}"
    try:
        Job.fetch(job_id, connection=redis)
    except NoSuchJobError:
        queue(redis).enqueue_at(at, JOB, job_id=job_id, result_ttl=600, failure_ttl=86400)


def enqueue_delivery(redis: Redis) -> None:
    """One waiting delivery job is enough: it takes every due delivery, also those written after it was queued."""
    try:
        job = Job.fetch(JOB_ID, connection=redis)
    except NoSuchJobError:
        job = None
    if job is not None:
        if job.get_status(refresh=False) == JobStatus.QUEUED:
            return
        job.delete()
    queue(redis).enqueue(JOB, job_id=JOB_ID, result_ttl=600, failure_ttl=86400)


_in_process = threading.Lock()


def _deliver_here(container: Container) -> None:
    if not _in_process.acquire(blocking=False):
        return  # a delivery pass runs in this process already and takes the new rows too
    try:
        deliver_due(container.sessions, container.clock(), allow_private=container.settings.webhook_allow_private)
    except Exception:
        log.exception("webhook delivery pass failed; the deliveries stay pending")
    finally:
        _in_process.release()


def kick(container: Container) -> None:
    """After a commit that wrote deliveries: the rq job when Redis is there, else a pass in a thread of this
    process (never in the committing thread: an endpoint's slowness must not hold up a request or the tick)."""
    if container.redis is not None:
        try:
            enqueue_delivery(container.redis)
            return
        except RedisError:
            log.warning("Redis unreachable; delivering webhooks in this process", exc_info=True)
    threading.Thread(target=_deliver_here, args=(container,), name="webhook-delivery", daemon=True).start()


def watch(container: Container) -> None:
    """Have the container's sessions write deliveries and kick the delivery job (API and worker processes)."""
    watch_webhooks(container.sessions, lambda: kick(container))
