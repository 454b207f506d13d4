"""store_inbound_many: a fetched batch stored in one transaction, with the same rows and answers as one at a time."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import event, select

from worker.db.models import InboundMessage
from worker.usecases.inbound_store import store_inbound, store_inbound_many

pytestmark = pytest.mark.integration
NOW = datetime(2026, 12, 1, 9, tzinfo=UTC)


def _raw(message_id: str, body: str) -> bytes:
    return f"Message-ID: <{message_id}>\r\nFrom: a@b.example\r\nSubject: s\r\n\r\n{body}\r\n".encode()


def _rows(sessions) -> list[tuple[int, str, str | None, int | None, str | None, int | None]]:
    with sessions.begin() as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(InboundMessage.id, InboundMessage.message_key, InboundMessage.mailbox_uid,
                   InboundMessage.mailbox_uidvalidity, InboundMessage.status, InboundMessage.same_message_id_as)
            .order_by(InboundMessage.id)).all()]


def test_a_batch_is_stored_as_one_at_a_time_would(sessions):
    known = _raw("known@x", "earlier")
    known_id, _ = store_inbound(sessions, known, mailbox_uid="1", now=NOW)
    batch = [
        (_raw("a@x", "a"), "2", 7),
        (known, "3", 7),                      # the same bytes as a stored message: its row, not created
        (_raw("known@x", "other bytes"), "4", 7),  # a known Message-ID with other bytes: a new, linked row
        (_raw("b@x", "b"), "5", 7),
        (_raw("a@x", "a"), "6", 7),           # the same bytes twice in one batch: one row
        (_raw("b@x", "b again"), "7", 7),     # a Message-ID reused within the batch: linked to the batch's row
    ]
    found = store_inbound_many(sessions, batch, now=NOW)

    rows = {r[0]: r for r in _rows(sessions)}
    assert len(rows) == 5
    a, b = found[0][0], found[3][0]
    assert [created for _, created in found] == [True, False, True, True, False, True]
    assert found[1] == (known_id, False) and found[4] == (a, False)
    assert rows[a][1:5] == ("<a@x>", "2", 7, "stored")
    assert rows[found[2][0]][1].startswith("<known@x>#sha256:") and rows[found[2][0]][5] == known_id
    assert rows[found[5][0]][1].startswith("<b@x>#sha256:") and rows[found[5][0]][5] == b
    # Storing the batch again (a pass after a crash) creates nothing and answers the same ids.
    assert store_inbound_many(sessions, batch, now=NOW) == [(i, False) for i, _ in found]
    assert len(_rows(sessions)) == 5


def test_a_batch_that_races_another_watcher_falls_back_to_one_at_a_time(sessions):
    batch = [(_raw("c@x", "c"), "1", None), (_raw("d@x", "d"), "2", None)]
    raced: list[tuple[int, bool]] = []

    def other_watcher_first(session, _context, _instances) -> None:  # type: ignore[no-untyped-def]
        # Another watcher stores the first message after our look-ups, before our INSERT.
        if not raced:
            raced.append((0, False))
            raced[0] = store_inbound(sessions, batch[0][0], mailbox_uid="9", now=NOW)

    event.listen(sessions, "before_flush", other_watcher_first)
    try:
        found = store_inbound_many(sessions, batch, now=NOW)
    finally:
        event.remove(sessions, "before_flush", other_watcher_first)
    assert raced[0][1] is True and found[0] == (raced[0][0], False) and found[1][1] is True
    assert [r[1:3] for r in _rows(sessions)] == [("<c@x>", "9"), ("<d@x>", "2")]


def test_an_empty_batch_stores_nothing(sessions):
    assert store_inbound_many(sessions, [], now=NOW) == []
    assert _rows(sessions) == []
