"""Two businesses with a debtor and open invoices each, behind the real API on a real database, for the contact
and dossier tests; the clerk's own API key carries a label the timeline must show."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import Container, build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice
from worker.usecases.api_keys import issue_key
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
CLERK = "Marieke (debiteurenbeheer)"
BY_CLERK = f"api key {CLERK}"  # how the timeline names who acted


@dataclass
class World:
    client: TestClient
    container: Container
    keys: dict[str, str]  # business name -> the clerk's API key
    ids: dict[tuple[str, str], int]  # (business, "F-1" | "debtor") -> id

    def call(self, method: str, path: str, business: str = "jansen", **kw):  # type: ignore[no-untyped-def]
        return self.client.request(method, path, headers={"X-API-Key": self.keys[business]}, **kw)


@pytest.fixture
def world(any_database_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    keys, ids = {}, {}
    with container.sessions.begin() as session:
        for name in ("jansen", "acme"):
            business, _ = create_business(session, name=name, senders=[f"billing@{name}.example"],
                                          from_address=f"billing@{name}.example", iban="NL91ABNA0417164300",
                                          now=NOW)
            _, keys[name] = issue_key(session, business.id, label=CLERK, now=NOW)
            debtor = Debtor(business_id=business.id, contact_email=f"ap@{name}-klant.example", name="Klant B.V.",
                            contact_name="Anna de Vries", created_at=NOW)
            session.add(debtor)
            session.flush()
            for number, due, amount, status in (("F-1", date(2027, 1, 12), "1210.00", "open"),
                                                ("F-2", date(2026, 12, 1), "50.00", "paid")):
                invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number=number,
                                  issue_date=date(2026, 12, 13), due_date=due, currency="EUR",
                                  amount_due=Decimal(amount), amount_paid=Decimal(0), status=status,
                                  reply_token=f"{name}{number}".lower(), parsed={}, created_at=NOW)
                session.add(invoice)
                session.flush()
                ids[(name, number)] = invoice.id
            ids[(name, "debtor")] = debtor.id
    yield World(TestClient(create_app(container)), container, keys, ids)
    container.engine.dispose()
