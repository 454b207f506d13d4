"""`dunning statement import FILE --business NAME` prints the same counts as the API, and imports once."""

import json
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select

from worker.cli import main
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice
from worker.usecases.businesses import create_business

SAMPLE = Path(__file__).parents[1] / "unit" / "parsers" / "bank_samples" / "mt940_ing.sta"
NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)


def test_cli_imports_an_mt940_and_pays_the_invoice_it_names(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DUNNING_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("DUNNING_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    container = build_container(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path}/cli.db"))
    upgrade(container.engine)
    with container.sessions.begin() as session:
        business, _ = create_business(session, name="Bakkerij Jansen", senders=["b@jansen.example"],
                                      from_address="b@jansen.example", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", name="Klant", created_at=NOW)
        session.add(debtor)
        session.flush()
        session.add(Invoice(business_id=business.id, debtor_id=debtor.id, number="F-2027-002", currency="EUR",
                            due_date=date(2027, 1, 1), amount_due=Decimal("100.00"), amount_paid=Decimal(0),
                            status="open", reply_token="t1", payment_reference="F-2027-002", parsed={},
                            created_at=NOW))
    assert main(["statement", "import", str(SAMPLE), "--business", "Bakkerij Jansen"]) == 0
    assert json.loads(capsys.readouterr().out) == {"transactions": 3, "credits": 2, "matched": 1, "review": 1,
                                                   "duplicates": 0}
    assert main(["statement", "import", str(SAMPLE), "--business", "Bakkerij Jansen"]) == 0
    assert json.loads(capsys.readouterr().out)["duplicates"] == 3
    with container.sessions.begin() as session:
        assert session.scalars(select(Invoice.status)).one() == "paid"
    assert main(["statement", "import", str(SAMPLE), "--business", "nobody"]) == 1
    assert "no business" in capsys.readouterr().err
    container.engine.dispose()
