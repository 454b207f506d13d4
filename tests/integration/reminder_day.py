"""The day the send tests play on (due + 2, inside the sending window), the tick run on it, an outbox row read back."""

from datetime import datetime
from zoneinfo import ZoneInfo

from worker.adapters.letters import LetterSettings
from worker.db.models import OutboundMessage
from worker.usecases.tick import run_tick

AMS = ZoneInfo("Europe/Amsterdam")
NOW = datetime(2027, 1, 14, 10, tzinfo=AMS)  # a Thursday inside the window: due + 2, the reminder
LETTERS = LetterSettings("invoices@service.test", "service.test", None)


def decide(sessions, now=NOW) -> list[int]:
    """Run the tick at `now`; the outbox rows it recorded for sending."""
    recorded: list[int] = []
    run_tick(sessions, now, LETTERS, lambda oid, _expired: recorded.append(oid))
    return recorded


def stored(sessions, outbound_id: int) -> OutboundMessage:
    """The outbox row as committed, detached from its session."""
    with sessions.begin() as session:
        found = session.get_one(OutboundMessage, outbound_id)
        session.expunge(found)
        return found
