"""One log event per decision, with business, invoice and message ids; the tick leaves its duration for /metrics."""

import logging
import threading
import time
from datetime import UTC, date, datetime
from decimal import Decimal

from structlog.testing import capture_logs

from tests.e2e.harness import MovableClock
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice, OutboundMessage
from worker.jobs.queue import queue
from worker.jobs.tick import tick_with
from worker.runtime import watch_mailbox
from worker.tick_stats import KEY as TICK_KEY
from worker.tick_stats import last_tick
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)  # a Monday, 10:00 in Amsterdam: inside the sending window


def test_tick_logs_each_recorded_reminder_and_its_own_duration(redis_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, redis_url=redis_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    redis = container.require_redis()
    for key in [*redis.scan_iter("rq:*"), TICK_KEY]:
        redis.delete(key)
    with container.sessions.begin() as session:
        business, _ = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", name="Klant", created_at=NOW)
        session.add(debtor)
        session.flush()
        invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number="F-1", issue_date=date(2026, 12, 1),
                          due_date=date(2027, 1, 12), currency="EUR", amount_due=Decimal("121.00"),
                          amount_paid=Decimal(0), status="open", reply_token="tokf1", parsed={}, created_at=NOW)
        session.add(invoice)
        session.flush()
        ids = (business.id, debtor.id, invoice.id)

    with capture_logs() as events:
        report = tick_with(container, NOW)

    assert len(report.recorded) == 1
    with container.sessions.begin() as session:
        row = session.get_one(OutboundMessage, report.recorded[0])
        step, message_id = row.step, row.message_id
    recorded = [e for e in events if e["event"] == "reminder_recorded"]
    assert recorded == [{"event": "reminder_recorded", "log_level": "info", "business_id": ids[0],
                         "debtor_id": ids[1], "invoice_ids": [ids[2]], "step": step, "channel": "email",
                         "outbound_message_id": report.recorded[0], "message_id": message_id,
                         "status": "pending"}]
    finished = [e for e in events if e["event"] == "tick_finished"]
    assert len(finished) == 1 and finished[0]["recorded"] == 1
    stats = last_tick(redis)
    assert stats is not None and stats.ticks == 1 and stats.finished_at == NOW.timestamp()
    assert round(stats.duration_seconds, 3) == finished[0]["duration_seconds"] and stats.duration_seconds > 0
    assert queue(redis).count == 1  # the send job of the recorded reminder

    with capture_logs() as again:  # nothing more is due: no decision, no event
        tick_with(container, NOW)
    assert [e["event"] for e in again] == ["tick_finished"]
    assert last_tick(redis).ticks == 2  # type: ignore[union-attr]
    for key in [*redis.scan_iter("rq:*"), TICK_KEY]:
        redis.delete(key)


def test_the_mailbox_watcher_logs_each_message_outcome(tmp_path, caplog):
    container = build_container(Settings(data_dir=tmp_path, letter_format="docx", idle_timeout_seconds=1))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    (tmp_path / "inbox" / "new" / "1.eml").write_bytes(
        b"From: stranger@unknown.example\r\nTo: invoices@dunning.localhost\r\nSubject: Factuur F-9\r\n"
        b"Message-ID: <one@unknown.example>\r\n\r\nPlease pay.\r\n")
    stop = threading.Event()
    caplog.set_level(logging.INFO, logger="worker.runtime")
    watcher = threading.Thread(target=watch_mailbox, args=(container, stop))
    watcher.start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not _handled(caplog):
            time.sleep(0.05)  # waiting for the watcher thread to reach the state, not passing time
    finally:
        stop.set()
        watcher.join(10)
    [record] = _handled(caplog)
    assert (record.status, record.kind) == ("quarantined", None)  # type: ignore[attr-defined]
    assert record.inbound_id >= 1 and record.reason  # type: ignore[attr-defined]


def _handled(caplog) -> list[logging.LogRecord]:  # type: ignore[no-untyped-def]
    return [r for r in caplog.records if r.getMessage() == "inbound_message_handled"]
