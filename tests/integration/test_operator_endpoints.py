"""/health, /ready and /metrics on real dependencies: SQLite or PostgreSQL, Redis, Maildir or Dovecot IMAP."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
import redis as redis_lib
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from tests.e2e.harness import MovableClock
from tests.servers import free_port
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, InboundMessage, Invoice, OutboundMessage
from worker.jobs.queue import queue
from worker.tick_stats import KEY as TICK_KEY
from worker.tick_stats import record_tick
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)


def _clean_redis(url: str) -> None:
    """Only rq's keys and the tick record: the session's claim on this database stays."""
    client = redis_lib.Redis.from_url(url)
    for key in [*client.scan_iter("rq:*"), TICK_KEY]:
        client.delete(key)


def _client(tmp_path, **settings) -> tuple[TestClient, object]:  # type: ignore[no-untyped-def]
    container = build_container(Settings(data_dir=tmp_path, letter_format="docx", **settings))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    return TestClient(create_app(container)), container


def test_health_answers_without_touching_dependencies(tmp_path):
    client, container = _client(tmp_path, redis_url=f"redis://127.0.0.1:{free_port()}/0",
                                database_url=f"sqlite:///{tmp_path / 'x.db'}")
    container.engine.dispose()
    (tmp_path / "x.db").unlink()
    (tmp_path / "x.db").mkdir()  # the database is now unusable; liveness must not care
    assert client.get("/health").json() == {"status": "ok"}
    assert client.get("/ready").status_code == 503


def test_ready_names_each_dependency_with_its_latency(any_database_url, redis_url, tmp_path):
    client, _ = _client(tmp_path, database_url=any_database_url, redis_url=redis_url)
    response = client.get("/ready")
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "redis", "mailbox"}  # docx letters: LibreOffice not needed
    for check in body["checks"].values():
        assert check["ok"] is True and check["latency_ms"] >= 0
    assert body["checks"]["mailbox"]["detail"] == "maildir"


def test_ready_is_503_when_redis_is_down(redis_url, tmp_path):
    closed = f"redis://:hunter2-redis@127.0.0.1:{free_port()}/0"
    client, _ = _client(tmp_path, redis_url=closed)
    response = client.get("/ready")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["redis"]["ok"] is False and "refused" in checks["redis"]["error"].lower()
    assert checks["database"]["ok"] is True and checks["mailbox"]["ok"] is True
    assert "hunter2-redis" not in response.text and ":***@" in checks["redis"]["target"]


def test_ready_checks_the_imap_mailbox_without_revealing_its_password(dovecot, redis_url, tmp_path):
    account = dovecot.new_account("ready")
    good, _ = _client(tmp_path / "good", redis_url=redis_url, mailbox_url=account.url())
    response = good.get("/ready")
    assert response.status_code == 200, response.text
    mailbox = response.json()["checks"]["mailbox"]
    assert (mailbox["ok"], mailbox["detail"]) == (True, "ImapMailbox") and mailbox["latency_ms"] > 0
    assert mailbox["target"] == account.url().replace(account.password, "***")
    wrong = account.url().replace(account.password, "wrong-" + account.password)
    bad, _ = _client(tmp_path / "bad", redis_url=redis_url, mailbox_url=wrong)
    response = bad.get("/ready")
    assert response.status_code == 503
    assert "refused" in response.json()["checks"]["mailbox"]["error"]
    assert account.password not in response.text


def test_ready_checks_libreoffice_when_letters_are_pdf(redis_url, tmp_path):
    client, _ = _client(tmp_path, redis_url=redis_url)
    client.app.state.container.settings = client.app.state.container.settings.model_copy(  # type: ignore[attr-defined]
        update={"letter_format": "pdf", "warm_pdf": False})
    checks = client.get("/ready").json()["checks"]
    assert "libreoffice" in checks
    import shutil

    assert checks["libreoffice"]["ok"] is (shutil.which("soffice") is not None)


def _seed(container) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Rows with known statuses and timestamps; returns the ids the test needs."""
    with container.sessions.begin() as session:
        business, _ = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", name="Klant", created_at=NOW)
        session.add(debtor)
        session.flush()
        invoices = []
        for number, status in (("F-1", "open"), ("F-2", "open"), ("F-3", "paid"), ("F-4", "review")):
            invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number=number,
                              issue_date=date(2026, 12, 1), due_date=date(2027, 1, 1), currency="EUR",
                              amount_due=Decimal("10.00"), amount_paid=Decimal(0), status=status,
                              reply_token=f"tok{number}", parsed={}, created_at=NOW)
            session.add(invoice)
            invoices.append(invoice)
        for n, (status, kind, age) in enumerate((("processed", "invoice", 3600), ("processed", "invoice", 3000),
                                                 ("processed", "reply", 2000), ("quarantined", None, 1000),
                                                 ("stored", None, 900), ("stored", "invoice", 60))):
            session.add(InboundMessage(message_key=f"<m{n}@x>", business_id=business.id, raw=b"x", status=status,
                                       kind=kind, received_at=NOW - timedelta(seconds=age)))
        session.flush()
        # Outbox: latencies of 2 s, 10 s and 2 h for three sent letters; one failed; one pending; one notice.
        for n, (step, status, latency) in enumerate((("reminder_1", "sent", 2), ("reminder_1", "sent", 10),
                                                     ("reminder_2", "sent", 7200), ("reminder_2", "failed", None),
                                                     ("reminder_1", "pending", None),
                                                     ("notice:pdf_unavailable", "sent", 1))):
            created = NOW - timedelta(days=1)
            session.add(OutboundMessage(business_id=business.id, debtor_id=debtor.id, invoice_id=invoices[0].id,
                                        step=step, message_id=f"<o{n}@x>", subject="s", raw=b"x", status=status,
                                        created_at=created,
                                        sent_at=created + timedelta(seconds=latency) if latency else None))
    return {"business": business.id}


def _families(client) -> dict[str, object]:  # type: ignore[no-untyped-def]
    response = client.get("/metrics")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    return {f.name: f for f in text_string_to_metric_families(response.text)}


def _samples(family, name: str | None = None) -> dict[tuple, float]:  # type: ignore[no-untyped-def]
    return {tuple(sorted(s.labels.items())): s.value for s in family.samples if name is None or s.name == name}


def test_metrics_count_the_seeded_rows(any_database_url, redis_url, tmp_path):
    _clean_redis(redis_url)
    client, container = _client(tmp_path, database_url=any_database_url, redis_url=redis_url)
    _seed(container)
    redis = container.require_redis()  # type: ignore[attr-defined]
    rq = queue(redis)
    for n in range(3):
        rq.enqueue("worker.jobs.tick.tick", None, job_id=f"metrics-test-{n}")
    rq.enqueue_in(timedelta(hours=1), "worker.jobs.tick.tick", None, job_id="metrics-test-later")
    record_tick(redis, 1.25, NOW)

    families = _families(client)

    inbound = _samples(families["dunning_inbound_messages"], "dunning_inbound_messages_total")
    assert inbound == {
        (("kind", "invoice"), ("status", "processed")): 2, (("kind", "reply"), ("status", "processed")): 1,
        (("kind", "none"), ("status", "quarantined")): 1, (("kind", "none"), ("status", "stored")): 1,
        (("kind", "invoice"), ("status", "stored")): 1, (("kind", "none"), ("status", "processed")): 0,
        (("kind", "none"), ("status", "failed")): 0}
    assert families["dunning_inbound_messages"].type == "counter"
    assert _samples(families["dunning_quarantine_messages"]) == {(): 1}
    assert _samples(families["dunning_inbound_oldest_unprocessed_age_seconds"]) == {(): pytest.approx(900)}
    invoices = _samples(families["dunning_invoices"])
    assert (invoices[(("status", "open"),)], invoices[(("status", "paid"),)], invoices[(("status", "review"),)],
            invoices[(("status", "disputed"),)]) == (2, 1, 1, 0)
    assert _samples(families["dunning_reminders_sent"], "dunning_reminders_sent_total") == {
        (("step", "reminder_1"),): 2, (("step", "reminder_2"),): 1, (("step", "notice:pdf_unavailable"),): 1}
    assert _samples(families["dunning_reminders_failed"], "dunning_reminders_failed_total") == {
        (("step", "reminder_2"),): 1}
    outbox = _samples(families["dunning_outbox_messages"])
    assert (outbox[(("status", "sent"),)], outbox[(("status", "failed"),)], outbox[(("status", "pending"),)],
            outbox[(("status", "sending"),)]) == (4, 1, 1, 0)
    assert _samples(families["dunning_letters_rendered"], "dunning_letters_rendered_total") == {(): 5}

    latency = families["dunning_send_latency_seconds"]
    buckets = {s.labels["le"]: s.value for s in latency.samples if s.name.endswith("_bucket")}
    assert (buckets["1.0"], buckets["5.0"], buckets["15.0"], buckets["3600.0"], buckets["14400.0"],
            buckets["+Inf"]) == (1, 2, 3, 3, 4, 4)
    assert _samples(latency, "dunning_send_latency_seconds_sum") == {(): pytest.approx(7213, abs=0.01)}
    assert _samples(latency, "dunning_send_latency_seconds_count") == {(): 4}

    jobs = _samples(families["dunning_queue_jobs"])
    assert jobs[(("queue", "dunning"), ("state", "queued"))] == 3
    assert jobs[(("queue", "dunning"), ("state", "scheduled"))] == 1
    assert jobs[(("queue", "dunning"), ("state", "started"))] == 0
    assert _samples(families["dunning_tick_duration_seconds"]) == {(): 1.25}
    assert _samples(families["dunning_tick_last_finished_timestamp_seconds"]) == {(): NOW.timestamp()}
    assert _samples(families["dunning_metrics_source_up"]) == {(("source", "database"),): 1,
                                                               (("source", "redis"),): 1}
    assert _samples(families["dunning_tick_interval_seconds"]) == {(): 300}
    _clean_redis(redis_url)


def test_metrics_still_answer_when_redis_is_down(tmp_path):
    client, container = _client(tmp_path, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    _seed(container)
    families = _families(client)
    assert _samples(families["dunning_metrics_source_up"]) == {(("source", "database"),): 1,
                                                               (("source", "redis"),): 0}
    assert "dunning_queue_jobs" not in families
    assert _samples(families["dunning_quarantine_messages"]) == {(): 1}


def test_metrics_cost_a_fixed_number_of_queries(tmp_path):
    """Five aggregate queries whether there is one business or twenty (no query per business)."""
    from sqlalchemy import event

    client, container = _client(tmp_path)
    counts = []
    statements: list[str] = []
    event.listen(container.engine, "before_cursor_execute",  # type: ignore[attr-defined]
                 lambda *args: statements.append(args[2]))
    for _ in range(2):
        statements.clear()
        _families(client)
        counts.append(len(statements))
        with container.sessions.begin() as session:  # type: ignore[attr-defined]
            for n in range(20):
                create_business(session, name=f"b{n}-{len(counts)}", senders=[], from_address=f"b{n}@x.example",
                                iban="NL91ABNA0417164300", now=NOW)
    assert counts == [5, 5]


def test_a_dependency_that_never_answers_is_reported_within_the_timeout(tmp_path):
    """A socket that accepts connections but never replies, like a hung Redis."""
    import socket
    import time

    from worker.readiness import run_checks

    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        _, container = _client(tmp_path, redis_url=f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        started = time.monotonic()
        checks = run_checks(container, timeout=0.5)  # type: ignore[arg-type]
        assert time.monotonic() - started < 2
    assert checks["redis"].ok is False and checks["redis"].detail == "no answer within 0.5 s"
    assert checks["database"].ok and checks["mailbox"].ok


def test_ready_reports_a_warm_libreoffice(redis_url, tmp_path):
    import shutil
    from pathlib import Path

    unoserver = Path(".venv-uno/bin/unoserver")
    if not (unoserver.exists() and shutil.which("soffice")):
        pytest.skip("LibreOffice with unoserver is not installed (scripts/install.sh)")
    client, container = _client(tmp_path, redis_url=redis_url)
    container.settings = container.settings.model_copy(  # type: ignore[attr-defined]
        update={"letter_format": "pdf", "warm_pdf": True, "unoserver_command": unoserver})
    converter = container.pdf_converter()  # type: ignore[attr-defined]
    try:
        assert converter.start()
        check = client.get("/ready").json()["checks"]["libreoffice"]
        assert check["ok"] is True and check["detail"].startswith("unoserver warm on port")
    finally:
        converter.close()
