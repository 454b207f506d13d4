"""A real rq worker process that runs the queued jobs at the moment argv[1] and exits (rq burst mode).

Usage: python -m tests.e2e.burst_worker 2027-01-13T10:00:00+01:00   (settings from DUNNING_* variables)
"""

import sys
from datetime import datetime

from rq import SimpleWorker

from worker.composition import build_container, install
from worker.config import load_settings
from worker.jobs.queue import queue


def main() -> None:
    now = datetime.fromisoformat(sys.argv[1])
    container = build_container(load_settings())
    container.clock = lambda: now
    install(container)
    redis = container.require_redis()
    SimpleWorker([queue(redis)], connection=redis).work(burst=True, logging_level="WARNING")


if __name__ == "__main__":
    main()
