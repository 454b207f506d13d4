"""Run the elected scheduler's loop for two passes at a chosen moment against real Redis, then take away every job
those passes enqueued (far-future daily jobs no worker of a later test may run)."""

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

from redis import Redis
from rq.exceptions import NoSuchJobError
from rq.job import Job

from worker.jobs.webhook_delivery import JOB_ID as WEBHOOK_DELIVERY_JOB
from worker.runtime import schedule_ticks

TICK_INTERVAL = 60


@contextmanager
def two_scheduler_passes(redis: Redis, at: datetime) -> Iterator[None]:
    """Two passes at `at` (the second must add nothing); afterwards the day's jobs and the tick are deleted."""

    class Container:
        settings = type("S", (), {"tick_interval_seconds": TICK_INTERVAL})()
        clock = staticmethod(lambda: at)

        @staticmethod
        def require_redis() -> Redis:
            return redis

    stop = threading.Event()
    try:
        for _ in range(2):  # one pass each: the lease check stops the loop after it
            stop.clear()
            schedule_ticks(Container(), stop, holds=lambda: not stop.is_set() and (stop.set() or True))  # type: ignore[arg-type]
        yield
    finally:
        day = at.date().isoformat()
        for job_id in (f"purge-raw-messages-{day}", f"recompute-next-actions-{day}",
                       f"tick-{int(at.timestamp()) // TICK_INTERVAL}", WEBHOOK_DELIVERY_JOB):
            try:
                Job.fetch(job_id, connection=redis).delete()
            except NoSuchJobError:  # not enqueued: nothing to clean
                pass
