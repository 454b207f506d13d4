"""Leases: one holder at a time, freed by the server or kernel when the holder's connection or file goes."""

from __future__ import annotations

import os
import threading

import pytest
import sqlalchemy as sa

from worker.elected import serve_while_elected
from worker.leases import FileLease, PostgresLease, lease_for

pytestmark = pytest.mark.integration


def test_postgres_lease_has_one_holder_and_is_freed_when_its_connection_dies(postgres_url):
    first, second = PostgresLease(postgres_url, "mailbox-watcher"), PostgresLease(postgres_url, "mailbox-watcher")
    other = PostgresLease(postgres_url, "scheduler")
    try:
        assert first.acquire() and first.held()
        assert not second.acquire()
        assert other.acquire()  # another duty's lease is independent
        assert f"pid {os.getpid()}" in (second.holder() or "")
        # The holder's connection ends as it would when its process is killed: the server frees the lock.
        engine = sa.create_engine(postgres_url)
        with engine.begin() as conn:
            killed = conn.execute(sa.text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name LIKE "
                "'dunning mailbox-watcher lease%' AND pid IN (SELECT pid FROM pg_locks WHERE locktype = "
                "'advisory' AND granted)")).scalars().all()
        engine.dispose()
        assert killed == [True]
        assert not first.held()
        assert second.acquire() and second.held()
        second.release()
        assert first.acquire()
    finally:
        for lease in (first, second, other):
            lease.release()


def test_file_lease_has_one_holder_and_is_freed_on_release(tmp_path):
    path = tmp_path / "dunning-scheduler.lease"
    first, second = FileLease(path, "scheduler"), FileLease(path, "scheduler")
    assert first.acquire() and first.held()
    assert not second.acquire()
    assert second.holder() == f"pid {os.getpid()} on {os.uname().nodename}"
    first.release()
    assert second.acquire()
    path.unlink()  # the data folder was cleared under us: no longer a lock anyone else sees
    assert not second.held()


def test_lease_kind_follows_the_database(tmp_path, postgres_url):
    assert isinstance(lease_for(postgres_url, tmp_path, "scheduler"), PostgresLease)
    sqlite = lease_for(f"sqlite:///{tmp_path / 'db' / 'dunning.db'}", tmp_path / "data", "scheduler")
    assert isinstance(sqlite, FileLease) and sqlite.path == tmp_path / "db" / "dunning-scheduler.lease"


def test_a_standby_takes_over_when_the_holder_stops(tmp_path):
    path = tmp_path / "dunning-mailbox-watcher.lease"
    running: list[str] = []
    entered = threading.Condition()

    def duty(name: str):  # type: ignore[no-untyped-def]
        def run(stop: threading.Event, holds) -> None:  # type: ignore[no-untyped-def]
            with entered:
                running.append(name)
                entered.notify_all()
            while holds():
                stop.wait(0.05)
        return run

    stops = {name: threading.Event() for name in ("a", "b")}
    threads = {name: threading.Thread(target=serve_while_elected, args=(FileLease(path, "mailbox-watcher"),
                                                                        duty(name), stops[name]),
                                      kwargs={"retry_seconds": 0.1}, daemon=True) for name in stops}
    threads["a"].start()
    with entered:
        assert entered.wait_for(lambda: running == ["a"], timeout=10)
    threads["b"].start()
    with entered:  # b stands by while a holds the lease
        assert not entered.wait_for(lambda: len(running) > 1, timeout=0.5)
    stops["a"].set()
    threads["a"].join(timeout=10)
    with entered:
        assert entered.wait_for(lambda: running == ["a", "b"], timeout=10)
    stops["b"].set()
    threads["b"].join(timeout=10)
