"""Servers restarted under running workers: Redis flushed and restarted loses nothing and duplicates nothing
(the tick's sweep re-enqueues from the database); PostgreSQL restarted is survived without restarting the
worker."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pytest

from tests.e2e.harness import make_service
from tests.e2e.private_servers import PrivatePostgres, PrivateRedis, private_postgres, private_redis
from tests.e2e.processes import wait_until
from tests.e2e.test_robustness import AFTER_DUE
from tests.e2e.workers import Workers, counts, debtor_invoice, lease_holders, worker_env

pytestmark = pytest.mark.integration


@pytest.fixture
def restartable_redis(tmp_path) -> Iterator[PrivateRedis]:
    with private_redis(tmp_path / "redis") as server:
        yield server


@pytest.fixture
def restartable_postgres() -> Iterator[PrivatePostgres]:
    with private_postgres() as server:
        yield server


def recipients(smtp_server) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(rcpt for message in smtp_server.messages for rcpt in message.rcpt_tos)


def more_ticks(service, redis_url: str, how_many: int) -> None:  # type: ignore[no-untyped-def]
    """Wait until the workers' scheduler has enqueued `how_many` more ticks (each one sweeps the outbox)."""
    import redis

    client = redis.Redis.from_url(redis_url)
    before = len(list(client.scan_iter("rq:job:tick-*")))
    wait_until(lambda: len(list(client.scan_iter("rq:job:tick-*"))) >= before + how_many, 60, "more ticks")


def report(name: str, expected: int, sent_to: Counter[str]) -> None:
    delivered = len(sent_to)
    print(f"\n{name}: runs 1, reminders expected {expected}, delivered {delivered}, duplicated "
          f"{sum(c - 1 for c in sent_to.values())}, lost {expected - delivered}")


def test_redis_flushed_and_restarted_under_running_workers_loses_and_duplicates_nothing(
        service, smtp_server, restartable_redis, tmp_path):
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    # The held SMTP session must outlast a slow machine's ingest + Redis restart: a client timeout there would
    # be a transient failure, rightly retried only after the back-off (minutes of this real-paced clock).
    env = worker_env(service, DUNNING_REDIS_URL=restartable_redis.url,
                     DUNNING_SMTP_URL=f"{service.container.settings.smtp_url}?timeout=600")
    workers = Workers(env, tmp_path, AFTER_DUE)
    workers.spawn(2)
    try:
        database_url = service.container.settings.database_url
        wait_until(lambda: workers.running() and len(lease_holders(database_url)) == 2, 120, "leases taken")
        # Sends hang at the SMTP server, so the queue holds the rest when Redis loses everything.
        smtp_server.hold.set()
        for n in range(1, 7):
            service.append(debtor_invoice(service, n))
        wait_until(lambda: counts(service)["outbound"] == 6 and smtp_server.held_sessions >= 1, 120,
                   "six reminders recorded, one being sent")
        restartable_redis.flush_and_stop()
        restartable_redis.start()  # same port, empty
        smtp_server.hold.clear()
        for n in range(7, 10):  # and the workers go on with new mail
            service.append(debtor_invoice(service, n))
        wait_until(lambda: len(smtp_server.messages) >= 9, 180, "nine reminders")
        more_ticks(service, restartable_redis.url, 3)
        sent_to = recipients(smtp_server)
        report("Redis flushed and restarted (2 workers)", 9, sent_to)
        assert sent_to == Counter({f"inkoop@klant{n}.example": 1 for n in range(1, 10)}), (sent_to, workers.logs())
        assert all(p.poll() is None for p in workers.processes.values()), workers.logs()
    finally:
        smtp_server.hold.clear()
        workers.stop_all()


def test_postgres_restarted_under_a_running_worker_is_survived(
        dovecot, smtp_server, redis_url, restartable_postgres, tmp_path):
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter("rq:*"):
        client.delete(key)
    smtp_server.clear()
    service = make_service(account=dovecot.new_account("pg"), smtp_url=smtp_server.url, redis_url=redis_url,
                           database_url=restartable_postgres.url, data_dir=tmp_path / "service")
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    workers = Workers(worker_env(service), tmp_path, AFTER_DUE)
    workers.spawn(1)
    try:
        wait_until(lambda: workers.running() and len(lease_holders(restartable_postgres.url)) == 2, 120, "leases taken")
        for n in range(1, 3):
            service.append(debtor_invoice(service, n))
        wait_until(lambda: len(smtp_server.messages) >= 2, 120, "two reminders before the restart")
        (pid,) = workers.processes
        restartable_postgres.restart()
        for n in range(3, 5):
            service.append(debtor_invoice(service, n))
        wait_until(lambda: len(smtp_server.messages) >= 4, 180, "two more reminders after the restart")
        wait_until(lambda: len(lease_holders(restartable_postgres.url)) == 2, 60, "leases taken again")
        more_ticks(service, redis_url, 3)
        sent_to = recipients(smtp_server)
        report("PostgreSQL restarted (1 worker, not restarted)", 4, sent_to)
        assert workers.processes[pid].poll() is None, workers.logs()  # the same process, still running
        assert sent_to == Counter({f"inkoop@klant{n}.example": 1 for n in range(1, 5)}), (sent_to, workers.logs())
        assert counts(service)["invoices"] == 4
    finally:
        workers.stop_all()
        service.container.engine.dispose()
