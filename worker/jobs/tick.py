"""rq job: decide due ladder steps at `now` (the real clock unless a time is given) and enqueue sends."""

from datetime import datetime

from worker.composition import Container, current
from worker.jobs.queue import enqueue_send
from worker.usecases.tick import TickReport, run_tick


def tick_with(container: Container, now: datetime) -> TickReport:
    redis = container.require_redis()
    return run_tick(container.sessions, now, container.letter_settings(),
                    lambda oid, claim_expired: enqueue_send(redis, oid, claim_expired))


def tick(now_iso: str | None = None) -> dict[str, object]:
    container = current()
    report = tick_with(container, datetime.fromisoformat(now_iso) if now_iso else container.clock())
    return {"recorded": report.recorded, "handed_off": report.handed_off, "failed": report.failed}
