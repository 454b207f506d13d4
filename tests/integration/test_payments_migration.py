"""Migration 0004 on a real database: every paid amount becomes one payment event, a surplus becomes its credit."""

from datetime import UTC, date, datetime
from decimal import Decimal

from alembic import command
from sqlalchemy import MetaData, insert, select

from worker.db.migrate import alembic_config, upgrade
from worker.db.models import Invoice, Payment
from worker.db.session import make_engine, make_session_factory
from worker.domain.ledger import paid_amount
from worker.usecases.ledger import entries

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)


def test_paid_amounts_are_carried_over_as_payment_events(any_database_url):
    engine = make_engine(any_database_url)
    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0003")
    with engine.begin() as connection:
        # The tables as they are at 0003 (the models describe the newest schema, with later columns).
        old = MetaData()
        old.reflect(connection, only=["businesses", "debtors", "invoices", "timeline_events"])
        business = connection.execute(insert(old.tables["businesses"]).values(
            name="Jansen", sender_allowlist=[], from_address="b@jansen.example", from_name="Jansen",
            language="nl", timezone="Europe/Amsterdam", settings={}, api_key_hash="h", created_at=NOW)
        ).inserted_primary_key[0]
        debtor = connection.execute(insert(old.tables["debtors"]).values(
            business_id=business, contact_email="ap@klant.example", contact_undeliverable=False,
            is_consumer=False, offline=False, created_at=NOW)).inserted_primary_key[0]
        ids = {}
        for number, due, paid in (("part", "363.00", "100.00"), ("over", "363.00", "100000.00"),
                                  ("none", "50.00", "0")):
            ids[number] = connection.execute(insert(old.tables["invoices"]).values(
                business_id=business, debtor_id=debtor, number=number, currency="EUR", amount_due=Decimal(due),
                amount_paid=Decimal(paid), status="open", reply_token=number, parsed={}, created_at=NOW)
            ).inserted_primary_key[0]
        connection.execute(insert(old.tables["timeline_events"]).values(
            business_id=business, invoice_id=ids["part"], kind="PaymentRecorded", at=NOW,
            data={"amount": "100.00", "paid_on": "2026-11-20", "remaining": "263.00"}))
    upgrade(engine)
    with make_session_factory(engine).begin() as session:
        rows = {session.get_one(Invoice, p.invoice_id).number: (p.kind, p.amount, p.credit, p.paid_on)
                for p in session.scalars(select(Payment))}
        assert rows == {"part": ("payment", Decimal("100.00"), Decimal("0.00"), date(2026, 11, 20)),
                        "over": ("payment", Decimal("100000.00"), Decimal("99637.00"), NOW.date())}
        for invoice in session.scalars(select(Invoice)):  # the projection equals what the events say
            assert invoice.amount_paid == paid_amount(entries(session, invoice.id))
        assert session.get_one(Invoice, ids["over"]).amount_paid == Decimal("363.00")
    engine.dispose()
