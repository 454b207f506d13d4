"""A real rq worker process whose clock is pinned to argv[1], so a story's moved time holds in it too.

Usage: python -m tests.e2e.frozen_worker 2027-01-13T10:00:00+01:00 [--burst]   (settings from DUNNING_* variables)
`--burst` runs the queued jobs and exits (rq burst mode); without it the worker waits for jobs.
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
    SimpleWorker([queue(redis)], connection=redis).work(burst="--burst" in sys.argv[2:], logging_level="WARNING")


if __name__ == "__main__":
    main()
