"""rq job: decide due ladder steps at `now` (the real clock unless a time is given) and enqueue sends."""

import time
from datetime import datetime

from worker.composition import Container, current
from worker.jobs.queue import enqueue_send
from worker.logs import get_logger
from worker.tick_stats import record_tick
from worker.usecases.tick import TickReport, run_tick

log = get_logger(__name__)


def tick_with(container: Container, now: datetime) -> TickReport:
    redis = container.require_redis()
    started = time.monotonic()  # how long the work took (an operator's number), not a decision input
    report = run_tick(container.sessions, now, container.letter_settings(),
                      lambda oid, claim_expired: enqueue_send(redis, oid, claim_expired))
    duration = time.monotonic() - started
    record_tick(redis, duration, container.clock())
    log.info("tick_finished", now=now.isoformat(), duration_seconds=round(duration, 3),
             recorded=len(report.recorded), handed_off=len(report.handed_off), failed=len(report.failed))
    return report


def tick(now_iso: str | None = None) -> dict[str, object]:
    container = current()
    report = tick_with(container, datetime.fromisoformat(now_iso) if now_iso else container.clock())
    return {"recorded": report.recorded, "handed_off": report.handed_off, "failed": report.failed}
