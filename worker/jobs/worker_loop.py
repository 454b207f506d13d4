"""The rq worker of a process: no forked scheduler, its own Redis connection, restarted after Redis errors
until the process is asked to stop."""

from __future__ import annotations

import logging
import signal
from types import FrameType

from redis import Redis
from rq import SimpleWorker

from worker.jobs.queue import queue
from worker.lifecycle import Shutdown

log = logging.getLogger(__name__)


class StoppableWorker(SimpleWorker):
    """rq's in-process worker whose SIGTERM/SIGINT also stop the rest of the process (warm shutdown: the job in
    hand is finished, then the loop ends; a second signal abandons it)."""

    max_connection_wait_time = 5.0  # after a Redis restart, take jobs again within seconds, not a minute

    def __init__(self, *args, shutdown: Shutdown, **kwargs) -> None:  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.shutdown = shutdown

    def request_stop(self, signum: int, frame: FrameType | None) -> None:
        self.shutdown.request(signal.Signals(signum).name)
        super().request_stop(signum, frame)

    def _install_signal_handlers(self) -> None:
        super()._install_signal_handlers()
        if self.shutdown.requested:  # the stop came before rq took the signals: end before the first dequeue
            self._stop_requested = True


def work_until_stopped(redis_url: str, shutdown: Shutdown, *, retry_seconds: float = 1.0) -> None:
    """Run jobs until `shutdown`; a worker that quits on a Redis error is started again."""
    while not shutdown.requested:
        # A connection of its own: rq raises its socket timeout above the blocking dequeue's, which only holds
        # for connections made after that (shared pools keep redis-py's 5 s and time out every dequeue).
        redis = Redis.from_url(redis_url)
        try:
            worker = StoppableWorker([queue(redis)], connection=redis, shutdown=shutdown)
            worker.work(logging_level="WARNING")
        except SystemExit:
            # rq's cold shutdown (a second signal while a job runs): the job's transaction rolls back and its
            # claim expires, so the tick's sweep hands it to another worker; the rest still stops in order.
            log.warning("job in hand abandoned by a second stop signal")
        except Exception as exc:  # noqa: BLE001 - Redis away while starting: try again below
            log.warning("rq worker stopped: %s", exc)
        finally:
            redis.close()
        if not shutdown.requested:
            log.warning("rq worker ended without a stop request; starting it again in %.0f s", retry_seconds)
            shutdown.event.wait(retry_seconds)
