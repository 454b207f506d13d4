"""Move rq jobs whose time has come (retries with a back-off, jobs enqueued `at`) onto the queue, in-process."""

from redis import Redis
from rq.scheduler import RQScheduler

from worker.jobs.queue import QUEUE_NAME


class DueJobs:
    """rq's own scheduler code, without its forked process (which outlived kill -9 and kept database locks):
    the elected scheduler thread calls `enqueue_due` every second."""

    def __init__(self, redis: Redis) -> None:
        self._scheduler = RQScheduler([QUEUE_NAME], connection=redis, logging_level="WARNING")
        self._scheduler.prepare_registries([QUEUE_NAME])

    def enqueue_due(self) -> None:
        self._scheduler.enqueue_scheduled_jobs()
