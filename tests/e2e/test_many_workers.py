"""Four `dunning worker` processes on one PostgreSQL, Redis, mailbox and SMTP server: one mailbox watcher and one
scheduler at a time, a kill -9 of the holder is taken over within a minute, and every invoice is ingested once
and reminded once."""

from __future__ import annotations

import time
from collections import Counter

import pytest

from tests.e2e.processes import wait_until
from tests.e2e.test_robustness import AFTER_DUE
from tests.e2e.workers import Workers, counts, debtor_invoice, lease_holders, worker_env

pytestmark = pytest.mark.integration

TAKEOVER_BUDGET = 60.0


def one_holder_each(database_url: str) -> dict[str, int] | None:
    holders = lease_holders(database_url)
    if len(holders.get("mailbox-watcher", [])) == 1 and len(holders.get("scheduler", [])) == 1:
        return {name: pids[0] for name, pids in holders.items()}
    return None


def recipients(smtp_server) -> Counter[str]:  # type: ignore[no-untyped-def]
    return Counter(rcpt for message in smtp_server.messages for rcpt in message.rcpt_tos)


def test_four_workers_one_watcher_one_scheduler_takeover_after_kill_9_and_exactly_once(service, smtp_server,
                                                                                       tmp_path):
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    database_url = service.container.settings.database_url
    workers = Workers(worker_env(service), tmp_path, AFTER_DUE)
    workers.spawn(4)
    try:
        wait_until(lambda: workers.running() and one_holder_each(database_url) is not None, 120,
                   "a watcher and a scheduler elected")
        holders = one_holder_each(database_url)
        assert holders is not None and set(holders.values()) <= set(workers.processes)
        # Every worker runs; the others stand by (their log says who holds the lease).
        wait_until(lambda: workers.logs().count("mailbox-watcher: standing by") >= 3, 60, "three standbys")

        for n in range(1, 7):
            service.append(debtor_invoice(service, n))
        wait_until(lambda: len(smtp_server.messages) >= 6, 120, "six reminders")
        # Recorded too: a kill between the server's 250 and the commit leaves its row to the proof search once the
        # claim is stale (15 min, test_worker_crash.py); here the takeover is what is tested.
        wait_until(lambda: counts(service)["sent"] >= 6, 60, "six reminders recorded as sent")

        # kill -9 the watcher's holder (and with it whatever else it held): another process takes over.
        killed = holders["mailbox-watcher"]
        workers.kill(killed)
        killed_at = time.monotonic()
        wait_until(lambda: (h := one_holder_each(database_url)) is not None and killed not in h.values(),
                   TAKEOVER_BUDGET, "a new watcher and scheduler after kill -9")
        takeover_s = time.monotonic() - killed_at
        for n in range(7, 10):
            service.append(debtor_invoice(service, n))
        wait_until(lambda: len(smtp_server.messages) >= 9, 120, "nine reminders")
        # Let several more ticks run on the survivors: nothing is sent twice.
        ticks_before = len(list(service.redis.scan_iter("rq:job:tick-*")))
        wait_until(lambda: len(list(service.redis.scan_iter("rq:job:tick-*"))) >= ticks_before + 3, 60,
                   "three more ticks")
        got = counts(service)
        sent_to = recipients(smtp_server)
        print(f"\n4 workers: takeover after kill -9 in {takeover_s:.1f} s; reminders expected 9, delivered "
              f"{len(sent_to)}, duplicated {sum(c - 1 for c in sent_to.values())}, lost "
              f"{9 - len(sent_to)}")
        assert got["inbound"] == 9 and got["invoices"] == 9, (got, workers.logs())
        assert sent_to == Counter({f"inkoop@klant{n}.example": 1 for n in range(1, 10)}), (sent_to, workers.logs())
        assert got["sent"] == got["outbound"] == 9, got
        assert takeover_s < TAKEOVER_BUDGET
    finally:
        workers.stop_all()
