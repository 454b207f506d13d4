"""Ingest through its runners: a forked pool, rq jobs (taken by workers or by the pass itself), and the crash
cases of batched filing: stored but not processed, processed but not filed, a cursor that never skips."""

from __future__ import annotations

import threading

import pytest
from redis import Redis
from rq import SimpleWorker
from sqlalchemy import func, select

from mailer.fakes import InMemoryMailbox
from mailer.mailbox import MailboxError
from tests.factories.hostile import nested_multipart, valid_invoice
from tests.integration.inbox_service import NOW, InboxService
from worker.composition import install
from worker.db.models import Invoice
from worker.jobs.process_inbound_job import RqRunner, enqueue_process, job_id
from worker.jobs.queue import queue
from worker.runtime import ingest_pass
from worker.usecases.inbound_runners import PoolRunner
from worker.usecases.ingest import Folders, ingest_once, load_cursor
from worker.usecases.process_inbound import process_inbound

pytestmark = pytest.mark.integration


@pytest.fixture(params=["sqlite", "postgresql"])
def inbox(request, tmp_path):
    url = f"sqlite:///{tmp_path / 'dunning.db'}" if request.param == "sqlite" else \
        request.getfixturevalue("fresh_postgres_url")
    service = InboxService(tmp_path, url)
    yield service
    service.close()


def _handle(inbox: InboxService):  # type: ignore[no-untyped-def]
    letters = inbox.container.letter_settings()
    return lambda inbound_id: process_inbound(inbox.container.sessions, inbound_id, letters=letters, now=NOW)


def _invoices(inbox: InboxService) -> int:
    with inbox.container.sessions.begin() as session:
        return session.scalar(select(func.count(Invoice.id))) or 0


def _pass(inbox: InboxService, mailbox, runner=None, **kw):  # type: ignore[no-untyped-def]
    return ingest_once(inbox.container.sessions, mailbox, "imap://test/INBOX",
                       letters=inbox.container.letter_settings(), folders=Folders("Processed", "Quarantine"),
                       now=lambda: NOW, runner=runner, **kw)


def test_a_pool_of_processes_ingests_everything_and_a_poison_message_stops_none(inbox):
    # On SQLite the pass runs them itself (one writer): the same outcome, one after the other.
    inbox.drop(nested_multipart(inbox.bcc, depth=1000))
    for n in range(8):
        inbox.drop(valid_invoice(inbox.bcc, f"2027-09{n:02d}"))
    report = ingest_pass(inbox.container, workers=2)
    assert sorted(o.status for o in report.outcomes) == ["processed"] * 8 + ["quarantined"]
    assert inbox.invoice_numbers() == [f"2027-09{n:02d}" for n in range(8)]
    assert inbox.inbox_count() == 0 and inbox.folder_count("Processed") == 8 and inbox.folder_count("Quarantine") == 1
    assert ingest_pass(inbox.container, workers=2).outcomes == []


def test_a_pool_process_that_dies_leaves_its_message_stored_for_a_later_pass(inbox, monkeypatch):
    import os

    if inbox.container.engine.dialect.name == "sqlite":
        pytest.skip("on SQLite the pass processes its messages itself: there is no pool process to lose")

    import worker.usecases.process_inbound as process_module

    real = process_module.accept_invoice_mail

    def die_on_0(session, business, row, mail, **kw):  # type: ignore[no-untyped-def]
        if "2027-1000" in (mail.subject or ""):
            os._exit(9)  # the pool process is killed mid-message
        return real(session, business, row, mail, **kw)

    monkeypatch.setattr(process_module, "accept_invoice_mail", die_on_0)
    inbox.drop(valid_invoice(inbox.bcc, "2027-1000"))
    report = ingest_pass(inbox.container, workers=2)
    assert [o.status for o in report.outcomes] == ["pending"]
    assert [m.status for m in inbox.inbound()] == ["stored"] and inbox.inbox_count() == 1
    monkeypatch.setattr(process_module, "accept_invoice_mail", real)
    assert [o.status for o in ingest_pass(inbox.container).outcomes] == ["processed"]  # the next pass
    assert inbox.invoice_numbers() == ["2027-1000"] and inbox.inbox_count() == 0


def test_processed_but_not_filed_is_filed_by_the_next_pass_without_processing_it_again(inbox, monkeypatch):
    accepted = _count_accepted(monkeypatch)
    mailbox = InMemoryMailbox()
    for n in range(3):
        mailbox.add(valid_invoice(inbox.bcc, f"2027-11{n:02d}"))
    real_move, calls = mailbox.move_many, []

    def move_fails_once(uids, folder):  # type: ignore[no-untyped-def]
        calls.append(list(uids))
        if len(calls) == 1:
            raise MailboxError("connection lost")  # killed between processing and the MOVE
        real_move(uids, folder)

    mailbox.move_many = move_fails_once  # type: ignore[method-assign]
    with pytest.raises(MailboxError):
        _pass(inbox, mailbox)
    assert load_cursor(inbox.container.sessions, "imap://test/INBOX") is None  # nothing was filed
    assert _invoices(inbox) == 3 and len(mailbox.messages()) == 3
    report = _pass(inbox, mailbox)
    assert [o.status for o in report.outcomes] == ["processed"] * 3
    assert _invoices(inbox) == 3 and mailbox.messages() == [] and len(mailbox.messages("Processed")) == 3
    assert sorted(accepted) == [f"Factuur 2027-11{n:02d}" for n in range(3)]  # each processed once
    assert calls[-1] == [1, 2, 3]  # one batch
    cursor = load_cursor(inbox.container.sessions, "imap://test/INBOX")
    assert cursor is not None and cursor.last_uid == 3


def test_the_cursor_stays_before_a_message_nobody_finished(inbox):
    mailbox = InMemoryMailbox()
    for n in range(3):
        mailbox.add(valid_invoice(inbox.bcc, f"2027-12{n:02d}"))
    stuck = _Stuck(_handle(inbox), stuck_id=2)
    report = _pass(inbox, mailbox, runner=stuck, stall_seconds=0.2)
    assert sorted(o.inbound_id for o in report.outcomes) == [1, 3]
    cursor = load_cursor(inbox.container.sessions, "imap://test/INBOX")
    assert cursor is not None and cursor.last_uid == 1  # message 3 is done and filed, but 2 holds the cursor
    assert len(mailbox.messages()) == 1 and len(mailbox.messages("Processed")) == 2
    report = _pass(inbox, mailbox)  # the next pass: 2 is stored, processed now; 3 is not read again
    assert [o.inbound_id for o in report.outcomes] == [2]
    assert mailbox.messages() == [] and _invoices(inbox) == 3


def test_rq_jobs_are_run_by_a_worker_or_taken_by_the_pass_and_never_twice(inbox, redis_url, monkeypatch):
    accepted = _count_accepted(monkeypatch)
    redis = Redis.from_url(redis_url)
    install(inbox.container)
    for n in range(4):
        inbox.drop(valid_invoice(inbox.bcc, f"2027-13{n:02d}"))
    # No worker takes them: the pass does (each job removed from the queue before it is run here).
    mailbox = inbox.container.open_mailbox()
    report = _pass(inbox, mailbox, runner=RqRunner(redis, inbox.container.sessions, NOW, _handle(inbox)))
    assert sorted(o.status for o in report.outcomes) == ["processed"] * 4 and queue(redis).count == 0
    assert inbox.inbox_count() == 0 and _invoices(inbox) == 4

    # A worker runs along: whoever takes a job, each message is processed once.
    for n in range(4, 12):
        inbox.drop(valid_invoice(inbox.bcc, f"2027-13{n:02d}"))
    stop = threading.Event()
    worker = threading.Thread(target=_work, args=(redis_url, stop))
    worker.start()
    try:
        report = _pass(inbox, mailbox, runner=RqRunner(redis, inbox.container.sessions, NOW, _handle(inbox)))
    finally:
        stop.set()
        worker.join(30)
    assert sorted(o.status for o in report.outcomes) == ["processed"] * 8
    assert inbox.inbox_count() == 0 and _invoices(inbox) == 12
    assert sorted(accepted) == [f"Factuur 2027-13{n:02d}" for n in range(12)]


def test_a_job_per_message_is_enqueued_once(inbox, redis_url):
    redis = Redis.from_url(redis_url)
    enqueue_process(redis, 41)
    enqueue_process(redis, 41)
    assert queue(redis).job_ids == [job_id(41)] == ["process-inbound-41"]


def _work(redis_url: str, stop: threading.Event) -> None:
    redis = Redis.from_url(redis_url)
    while not stop.is_set():
        SimpleWorker([queue(redis)], connection=redis).work(burst=True, logging_level="WARNING")
        stop.wait(0.05)


def _count_accepted(monkeypatch) -> list[str]:  # type: ignore[no-untyped-def]
    import worker.usecases.process_inbound as process_module

    real, seen = process_module.accept_invoice_mail, []

    def counting(session, business, row, mail, **kw):  # type: ignore[no-untyped-def]
        seen.append(mail.subject)
        return real(session, business, row, mail, **kw)

    monkeypatch.setattr(process_module, "accept_invoice_mail", counting)
    return seen


class _Recording:
    def __init__(self, handle) -> None:  # type: ignore[no-untyped-def]
        self.handle, self.done = handle, {}

    def submit(self, inbound_id: int) -> None:
        self.done[inbound_id] = self.handle(inbound_id)

    def finished(self, ids, wait):  # type: ignore[no-untyped-def]
        return {i: self.done.pop(i) for i in ids if i in self.done}

    def close(self) -> None:
        pass


class _Stuck(_Recording):
    """Processes every message but never reports `stuck_id` (its worker hangs)."""

    def __init__(self, handle, stuck_id: int) -> None:  # type: ignore[no-untyped-def]
        super().__init__(handle)
        self.stuck_id = stuck_id

    def submit(self, inbound_id: int) -> None:
        if inbound_id != self.stuck_id:
            super().submit(inbound_id)


def test_pool_runner_reports_only_what_it_was_given(inbox):
    runner = PoolRunner(_handle(inbox), inbox.container.engine, 2)
    try:
        assert runner.finished([1, 2], wait=0.01) == {}
    finally:
        runner.close()
