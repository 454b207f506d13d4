"""A whole service wired to real servers for a test: settings, container, API client, clock and worker."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from fastapi.testclient import TestClient
from imap_tools import MailBoxUnencrypted
from redis import Redis
from rq import SimpleWorker
from sqlalchemy import select

from worker.api.app import create_app
from worker.clock import utcnow
from worker.composition import Container, build_container, install
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Business, OutboundMessage
from worker.jobs.queue import queue
from worker.jobs.tick import tick_with
from worker.runtime import ingest_pass
from worker.usecases.businesses import create_business
from worker.usecases.tick import TickReport


class MovableClock:
    """The test's clock: starts at the real time, and only moves when the story says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Service:
    container: Container
    account: object  # tests.servers.ImapAccount
    api: TestClient

    @property
    def redis(self) -> Redis:
        return self.container.require_redis()

    def add_business(self, name: str, senders: list[str], from_address: str, **kw) -> str:
        """Create a business with a generated secret ingest address (see `ingest_address`); return its key."""
        with self.container.sessions.begin() as session:
            _, key = create_business(session, name=name, senders=senders, from_address=from_address,
                                     service_address=self.container.settings.service_address,
                                     iban="NL91ABNA0417164300", now=utcnow(), **kw)
        return key

    def ingest_address(self, name: str) -> str:
        """The secret address the business BCCs its invoices to."""
        with self.container.sessions.begin() as session:
            address = session.scalars(select(Business.ingest_address).where(Business.name == name)).one()
        assert address is not None
        return address

    def append(self, raw: bytes, folder: str = "INBOX") -> None:
        """Deliver a message into the service mailbox the way an MTA would (IMAP APPEND)."""
        with MailBoxUnencrypted(self.account.host, self.account.port).login(
            self.account.name, self.account.password, initial_folder=None
        ) as mb:
            mb.append(raw, folder)

    def folder_count(self, folder: str) -> int:
        with MailBoxUnencrypted(self.account.host, self.account.port).login(
            self.account.name, self.account.password, initial_folder=None
        ) as mb:
            if not mb.folder.exists(folder):
                return 0
            return mb.folder.status(folder)["MESSAGES"]

    def ingest(self):  # type: ignore[no-untyped-def]
        return ingest_pass(self.container)

    @property
    def clock(self) -> MovableClock:
        return self.container.clock  # type: ignore[return-value]

    def tick(self, now: datetime) -> TickReport:
        """Move the clock to `now` and decide; the sends run at `now` too when `work()` is called."""
        self.clock.now = now
        return tick_with(self.container, now)

    def work(self) -> None:
        """Run every queued job in this process until the queue is empty (rq burst mode).

        A send that failed transiently would wait for rq's retry, after the burst: say so here, with
        the transport's error, instead of letting a later count of messages fail without a cause.
        """
        SimpleWorker([queue(self.redis)], connection=self.redis).work(burst=True, logging_level="WARNING")
        with self.container.sessions.begin() as session:
            retrying = session.execute(select(OutboundMessage.id, OutboundMessage.last_error).where(
                OutboundMessage.status == "pending", OutboundMessage.last_error.is_not(None))).all()
        assert not retrying, f"sends waiting for a retry: {retrying}"

    def get(self, path: str, key: str):  # type: ignore[no-untyped-def]
        return self.api.get(path, headers={"X-API-Key": key})


def make_service(*, account, smtp_url: str, redis_url: str, database_url: str, data_dir: Path,
                 letter_format: str = "docx", **overrides) -> Service:  # type: ignore[no-untyped-def]
    # The recording SMTP server is no MTA that files a copy in our mailbox: no copy to self unless a test
    # (tests/e2e/test_send_faults.py, whose server delivers it) asks for one.
    overrides.setdefault("sent_copy_address", "off")
    settings = Settings(
        data_dir=data_dir, database_url=database_url, redis_url=redis_url, mailbox_url=account.url(),
        smtp_url=smtp_url, service_address=account.address, message_id_domain="dunning.test",
        letter_format=letter_format, warm_pdf=False, **overrides,
    )
    container = build_container(settings)
    container.clock = MovableClock(utcnow())
    upgrade(container.engine)
    install(container)
    return Service(container, account, TestClient(create_app(container)))
