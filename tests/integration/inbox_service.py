"""A service on the embedded defaults (Maildir drop folder) with one business, for ingest fault tests."""

from __future__ import annotations

import mailbox
from datetime import UTC, datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.e2e.harness import MovableClock
from tests.factories.hostile import SELLER, SELLER_NAME
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import InboundMessage
from worker.runtime import ingest_pass
from worker.usecases.businesses import create_business

NOW = datetime(2027, 1, 5, 9, tzinfo=UTC)


class InboxService:
    """Container, API client, movable clock and the Maildir inbox a test drops mail into."""

    def __init__(self, data_dir: Path, database_url: str) -> None:
        settings = Settings(data_dir=data_dir, database_url=database_url, letter_format="docx", warm_pdf=False)
        self.container = build_container(settings)
        self.clock = MovableClock(NOW)
        self.container.clock = self.clock
        upgrade(self.container.engine)
        with self.container.sessions.begin() as session:
            business, self.key = create_business(
                session, name=SELLER_NAME, senders=[SELLER], from_address=SELLER,
                service_address=settings.service_address, iban="NL91ABNA0417164300", now=NOW)
            self.business_id, self.bcc = business.id, business.ingest_address
        self.maildir = mailbox.Maildir(data_dir / "inbox", create=True)
        self.api = TestClient(create_app(self.container))

    def drop(self, raw: bytes) -> None:
        self.maildir.add(raw)

    def ingest(self):  # type: ignore[no-untyped-def]
        return ingest_pass(self.container)

    def folder_count(self, folder: str) -> int:
        return len(self.maildir.get_folder(folder)) if folder in self.maildir.list_folders() else 0

    def inbox_count(self) -> int:
        self.maildir._refresh()  # type: ignore[attr-defined]
        return len(self.maildir)

    def get(self, path: str):  # type: ignore[no-untyped-def]
        return self.api.get(path, headers={"X-API-Key": self.key})

    def invoice_numbers(self) -> list[str]:
        answer = self.get("/invoices")
        assert answer.status_code == 200, answer.text
        return sorted(i["number"] for i in answer.json())

    def inbound(self) -> list[InboundMessage]:
        with self.container.sessions.begin() as session:
            return list(session.scalars(select(InboundMessage).order_by(InboundMessage.id)))

    def close(self) -> None:
        self.container.engine.dispose()
