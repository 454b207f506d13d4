"""rq job: the daily retention purge of inbound messages' raw bytes (see usecases.privacy_retention)."""

from datetime import datetime

from worker.composition import current
from worker.logs import get_logger
from worker.usecases.privacy_retention import purge_raw_messages

log = get_logger(__name__)


def purge(now_iso: str | None = None) -> dict[str, object]:
    container = current()
    now = datetime.fromisoformat(now_iso) if now_iso else container.clock()
    result = purge_raw_messages(container.sessions, retention_days=container.settings.raw_message_retention_days,
                                now=now)
    log.info("raw_messages_purged", **result)
    return result
