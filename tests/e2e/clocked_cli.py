"""The real `dunning` command whose clock starts at argv[1] and runs at real pace from there, so a story's
moment (inside a sending window, after a due date) holds in a process that schedules its own ticks.

Usage: python -m tests.e2e.clocked_cli 2027-01-14T10:00:00+01:00 worker   (settings from DUNNING_* variables)
"""

import sys
from datetime import datetime

import worker.composition
from worker.cli import main
from worker.clock import utcnow

_build = worker.composition.build_container


def _clocked(start: datetime):  # type: ignore[no-untyped-def]
    origin = utcnow()

    def build(settings):  # type: ignore[no-untyped-def]
        container = _build(settings)
        container.clock = lambda: start + (utcnow() - origin)
        return container

    return build


if __name__ == "__main__":
    worker.composition.build_container = _clocked(datetime.fromisoformat(sys.argv[1]))
    sys.exit(main(sys.argv[2:]))
