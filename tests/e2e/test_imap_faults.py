"""Issue 13's IMAP rows: the connection dropped mid-IDLE and mid-fetch, and a UIDVALIDITY change (real Dovecot)."""

import threading
import time

import pytest
from sqlalchemy import func, select

import worker.usecases.process_inbound as process_module
from tests.e2e.harness import make_service
from tests.factories.hostile import nested_multipart, valid_invoice
from tests.servers import ImapAccount
from worker.db.models import InboundMessage, Invoice, MailboxState, TimelineEvent
from worker.runtime import watch_mailbox

pytestmark = pytest.mark.integration


def _count(service, column, *where) -> int:  # type: ignore[no-untyped-def]
    with service.container.sessions.begin() as session:
        return session.scalar(select(func.count(column)).where(*where))


def _wait_processed(service, expected: int, timeout: float = 30.0) -> int:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = _count(service, InboundMessage.id, InboundMessage.status == "processed")
        if done >= expected:
            return done
        time.sleep(0.1)
    return _count(service, InboundMessage.id, InboundMessage.status == "processed")


def _cursor(service) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    with service.container.sessions.begin() as session:
        state = session.scalars(select(MailboxState)).one()
        return state.uidvalidity, state.last_uid


def _kick(dovecot, account) -> None:  # type: ignore[no-untyped-def]
    """Drop every IMAP session of the account, as a server restart or a network cut would."""
    dovecot.doveadm("kick", account.name)


@pytest.fixture
def watcher(service, dovecot):  # type: ignore[no-untyped-def]
    service.container.settings.idle_timeout_seconds = 30
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    stop = threading.Event()
    thread = threading.Thread(target=watch_mailbox, args=(service.container, stop), daemon=True)
    thread.start()
    yield service
    stop.set()
    _kick(dovecot, service.account)  # wakes the IDLE at once instead of after its timeout
    thread.join(40)
    assert not thread.is_alive()


def test_the_connection_dropped_mid_idle_loses_and_duplicates_nothing(watcher, dovecot):
    service, runs = watcher, 5
    bcc = service.ingest_address("Bakkerij Jansen")
    service.append(valid_invoice(bcc, "2027-0600"))
    assert _wait_processed(service, 1) == 1
    for n in range(1, runs + 1):
        time.sleep(0.3)  # the watcher is back in IDLE
        _kick(dovecot, service.account)
        service.append(valid_invoice(bcc, f"2027-06{n:02d}"))
        assert _wait_processed(service, n + 1) == n + 1, f"run {n}: the watcher did not come back"
    assert _count(service, Invoice.id) == runs + 1 and _count(service, InboundMessage.id) == runs + 1
    assert service.folder_count("Processed") == runs + 1 and service.folder_count("INBOX") == 0


def test_the_connection_dropped_mid_fetch_loses_and_duplicates_nothing(service, dovecot, monkeypatch):
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    bcc = service.ingest_address("Bakkerij Jansen")
    real, seen = process_module.accept_invoice_mail, []

    def accept_then_drop(session, business, row, mail, **kw):  # type: ignore[no-untyped-def]
        seen.append(mail.subject)
        if len(seen) in (2, 4):  # the session dies while the pass is between messages it fetched
            try:
                _kick(dovecot, service.account)
            except RuntimeError:  # no session to kick: the pass had fetched all and filed none yet
                pass
        return real(session, business, row, mail, **kw)

    monkeypatch.setattr(process_module, "accept_invoice_mail", accept_then_drop)
    runs = 6
    for n in range(runs):
        service.append(valid_invoice(bcc, f"2027-07{n:02d}"))
    report = service.ingest()
    assert [o.status for o in report.outcomes] == ["processed"] * runs
    assert _count(service, Invoice.id) == runs and _count(service, InboundMessage.id) == runs
    assert service.folder_count("Processed") == runs and service.folder_count("INBOX") == 0
    assert service.ingest().outcomes == []  # the cursor moved past all of them


class _ServiceFolder(ImapAccount):
    """The account with the service mailbox in folder `Service` (INBOX cannot be deleted and recreated)."""

    def url(self, folder: str = "Service") -> str:
        return super().url(folder)


def test_a_new_uidvalidity_re_reads_the_folder_without_processing_a_message_twice(
        dovecot, smtp_server, redis_url, fresh_postgres_url, tmp_path):
    plain = dovecot.new_account("uidv")
    account = _ServiceFolder(plain.name, plain.password, plain.host, plain.port)
    service = make_service(account=account, smtp_url=smtp_server.url, redis_url=redis_url,
                           database_url=fresh_postgres_url, data_dir=tmp_path)
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    bcc = service.ingest_address("Bakkerij Jansen")
    dovecot.doveadm("mailbox", "create", "-u", account.name, "Service")
    old = [valid_invoice(bcc, f"2027-08{n:02d}") for n in range(3)]
    for raw in old:
        service.append(raw, "Service")
    assert [o.status for o in service.ingest().outcomes] == ["processed"] * 3
    events = _count(service, TimelineEvent.id)
    # The folder is recreated (a server move or restore): a new UIDVALIDITY, UIDs from 1 again, below our cursor.
    dovecot.doveadm("mailbox", "delete", "-u", account.name, "Service")
    dovecot.doveadm("mailbox", "create", "-u", account.name, "Service")
    # New mail first: it gets UIDs 1 and 2, below the old cursor, where a cursor kept across UIDVALIDITY would
    # skip it; then the restored old messages.
    for raw in [valid_invoice(bcc, "2027-0810"), valid_invoice(bcc, "2027-0811"), *old]:
        service.append(raw, "Service")
    before = _cursor(service)
    outcomes = service.ingest().outcomes
    assert _cursor(service)[0] != before[0] and _cursor(service)[1] == 5
    assert [o.status for o in outcomes] == ["processed"] * 5
    assert _count(service, InboundMessage.id) == 5 and _count(service, Invoice.id) == 5
    # the three re-seen messages changed nothing: only the two new invoices added timeline events
    assert _count(service, TimelineEvent.id) - events == 2 * (events // 3)
    assert service.folder_count("Service") == 0 and service.folder_count("Processed") == 8


def test_the_watcher_ingests_the_invoice_behind_a_poison_message_in_the_same_cycle(watcher):
    service = watcher
    bcc = service.ingest_address("Bakkerij Jansen")
    service.append(nested_multipart(bcc, depth=1000))
    service.append(valid_invoice(bcc, "2027-0900"))
    assert _wait_processed(service, 1, timeout=15) == 1
    assert _count(service, InboundMessage.id, InboundMessage.status == "quarantined") == 1
    assert service.folder_count("Quarantine") == 1 and service.folder_count("INBOX") == 0
