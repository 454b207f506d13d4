"""Storage on both databases: migrations, the one-row-per-step guarantee, concurrent ticks, idempotent ingest."""

import threading
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.exc import IntegrityError

from mailer.fakes import RecordingSender
from worker.adapters.letters import LetterSettings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, InboundMessage, Invoice, OutboundInvoice, OutboundMessage
from worker.db.session import make_engine
from worker.usecases.businesses import create_business
from worker.usecases.inbound_store import store_inbound
from worker.usecases.send import send_outbound
from worker.usecases.tick import run_tick

NOW = datetime(2027, 1, 14, 9, tzinfo=UTC)  # a Thursday, 10:00 in Amsterdam: due + 2, the reminder
LETTERS = LetterSettings("invoices@service.test", "service.test", None)


def seed(sessions, invoices: int = 3) -> int:
    with sessions.begin() as session:
        business, _ = create_business(session, name="Jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300", now=NOW)
        for n in range(invoices):
            # one debtor each: messages to one debtor keep a minimum gap, which is not what this tests
            debtor = Debtor(business_id=business.id, contact_email=f"ap{n}@klant.example", name="Klant",
                            created_at=NOW)
            session.add(debtor)
            session.flush()
            session.add(Invoice(business_id=business.id, debtor_id=debtor.id, number=f"F-{n}",
                                issue_date=date(2026, 12, 13), due_date=date(2027, 1, 12), currency="EUR",
                                amount_due=Decimal("121.00"), amount_paid=Decimal(0), status="open",
                                reply_token=f"tok{n}", parsed={}, created_at=NOW))
        return business.id


def test_migrations_create_every_table_and_run_twice(any_database_url):
    engine = make_engine(any_database_url)
    upgrade(engine)
    upgrade(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"businesses", "debtors", "invoices", "inbound_messages", "outbound_messages", "timeline_events",
            "mailbox_state", "alembic_version"} <= tables
    engine.dispose()


def test_no_invoice_gets_the_same_step_twice(sessions):
    seed(sessions, 1)
    run_tick(sessions, NOW, LETTERS, lambda _id, _attempt: None)
    with pytest.raises(IntegrityError), sessions.begin() as session:
        link = session.scalars(select(OutboundInvoice)).one()
        session.add(OutboundInvoice(outbound_message_id=link.outbound_message_id, invoice_id=link.invoice_id,
                                    step=link.step))


def test_concurrent_ticks_record_each_step_once(sessions):
    seed(sessions, 5)
    enqueued: list[int] = []
    errors: list[BaseException] = []

    def tick() -> None:
        try:
            run_tick(sessions, NOW, LETTERS, lambda oid, _attempt: enqueued.append(oid))
        except BaseException as exc:  # surfaced below; a thread's exception is otherwise lost
            errors.append(exc)

    threads = [threading.Thread(target=tick) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    with sessions.begin() as session:
        assert session.scalar(select(func.count(OutboundMessage.id))) == 5
    sender = RecordingSender()
    statuses = [send_outbound(sessions, sender, oid, NOW) for oid in enqueued]  # duplicates in `enqueued` too
    assert statuses.count("sent") >= 5
    assert len(sender.sent) == 5


def test_the_same_raw_message_is_stored_once(sessions):
    raw = b"Message-ID: <abc@x>\r\nFrom: a@b.example\r\nSubject: hi\r\n\r\nbody\r\n"
    first = store_inbound(sessions, raw, mailbox_uid="1", now=NOW)
    again = store_inbound(sessions, raw, mailbox_uid="2", now=NOW)
    assert first[1] is True and again == (first[0], False)
    with sessions.begin() as session:
        assert session.scalar(select(func.count(InboundMessage.id))) == 1
