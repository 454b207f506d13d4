"""rq job: the daily backstop that computes every live invoice's next moment afresh (see usecases.next_actions)."""

import time
from datetime import datetime

from worker.composition import current
from worker.logs import get_logger
from worker.usecases.next_actions import recompute_next_actions

log = get_logger(__name__)


def recompute(now_iso: str | None = None) -> dict[str, object]:
    container = current()
    now = datetime.fromisoformat(now_iso) if now_iso else container.clock()
    started = time.monotonic()  # an operator's number, not a decision input
    changed = recompute_next_actions(container.sessions, now)
    seconds = round(time.monotonic() - started, 3)
    # A change here means an incremental mark was missed: worth a look when it is not zero.
    log.info("next_actions_recomputed", now=now.isoformat(), changed=changed, duration_seconds=seconds)
    return {"changed": changed, "seconds": seconds}
