"""A real worker process killed between "recorded" and "sent": after a restart, exactly one letter goes out."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.e2e.test_robustness import AFTER_DUE, one_invoice
from worker.db.models import OutboundMessage
from worker.usecases.send import CLAIM_LEASE

pytestmark = pytest.mark.integration


def wait_until(predicate, timeout: float = 30.0) -> None:
    """Wait for another process to reach a state (an event, not the passing of time under test)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def outbox_status(service) -> str:
    with service.container.sessions.begin() as session:
        return session.scalars(select(OutboundMessage.status)).one()


def test_killed_mid_send_then_restarted_sends_exactly_once(service, smtp_server, tmp_path):
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    service.append(one_invoice(service))
    service.ingest()
    assert len(service.tick(AFTER_DUE).recorded) == 1  # recorded and enqueued in real Redis

    settings = service.container.settings
    env = {**os.environ, "DUNNING_DATABASE_URL": settings.database_url, "DUNNING_REDIS_URL": settings.redis_url,
           "DUNNING_SMTP_URL": settings.smtp_url, "DUNNING_MAILBOX_URL": settings.mailbox_url,
           "DUNNING_DATA_DIR": str(tmp_path / "worker"), "DUNNING_LETTER_FORMAT": "docx"}
    smtp_server.hold.set()  # the worker will hang inside the SMTP transaction
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen([sys.executable, "-m", "tests.e2e.frozen_worker", AFTER_DUE.isoformat()], env=env,
                              stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until(lambda: smtp_server.held_sessions == 1 or worker.poll() is not None, timeout=60)
        assert smtp_server.held_sessions == 1, (tmp_path / "worker.log").read_text(errors="replace")
        assert outbox_status(service) == "sending"
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()
        smtp_server.hold.clear()
    assert smtp_server.messages == []  # the transaction died with the worker

    # A restarted worker does not send while the dead worker's claim may still be live...
    service.tick(AFTER_DUE + timedelta(minutes=1))
    service.work()
    assert smtp_server.messages == [] and outbox_status(service) == "sending"
    # ...and once the claim has expired, the tick's sweep hands the letter to a fresh job.
    later = AFTER_DUE + CLAIM_LEASE + timedelta(minutes=1)
    service.tick(later)
    service.work()
    service.tick(later)
    service.work()
    assert len(smtp_server.wait_for(1)) == 1 and outbox_status(service) == "sent"
