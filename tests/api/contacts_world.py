"""Two businesses with a debtor and open invoices each, behind the real API on a real database, for the contact
and dossier tests; the clerk's own API key carries a label the timeline must show."""

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from tests.api.businesses import NAMES, api_container, business_with_debtor, client_for
from worker.composition import Container
from worker.db.models import Invoice
from worker.usecases.api_keys import issue_key

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
    container = api_container(any_database_url, tmp_path, NOW)
    keys, ids = {}, {}
    with container.sessions.begin() as session:
        for name in NAMES:
            business, _, debtor = business_with_debtor(session, name, NOW, debtor_name="Klant B.V.")
            _, keys[name] = issue_key(session, business.id, label=CLERK, now=NOW)
            debtor.contact_name = "Anna de Vries"
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
    yield World(client_for(container), container, keys, ids)
    container.engine.dispose()
