"""The API tests' world: a migrated database behind the real app on a movable clock, and businesses that each have
an API key and a debtor (two of them, so every test can try the other business's ids)."""

from datetime import datetime
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import Container, build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Business, Debtor
from worker.usecases.businesses import create_business

NAMES = ("jansen", "acme")


def api_container(database_url: str, data_dir: Path, now: datetime) -> Container:
    """A container on a freshly migrated database, DOCX letters, its clock standing at `now`."""
    container = build_container(Settings(data_dir=data_dir, database_url=database_url, letter_format="docx"))
    container.clock = MovableClock(now)
    upgrade(container.engine)
    return container


def business_with_debtor(session: Session, name: str, now: datetime,
                         debtor_name: str = "Klant") -> tuple[Business, str, Debtor]:
    """A business `name` (its first API key) and one debtor of it, `ap@<name>-klant.example`."""
    business, key = create_business(session, name=name, senders=[f"billing@{name}.example"],
                                    from_address=f"billing@{name}.example", iban="NL91ABNA0417164300", now=now)
    debtor = Debtor(business_id=business.id, contact_email=f"ap@{name}-klant.example", name=debtor_name,
                    created_at=now)
    session.add(debtor)
    session.flush()
    return business, key, debtor


def client_for(container: Container) -> TestClient:
    return TestClient(create_app(container))
