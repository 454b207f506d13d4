"""Follow-ups beyond the ladder, on a real database: a copy on request, a thank-you for paying on time."""

from datetime import UTC, date, datetime
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from mailer.reply_token import reply_address
from tests.factories.mail import invoice_mail, reply_mail
from worker.adapters.letters import LetterSettings
from worker.db.migrate import upgrade
from worker.db.models import Invoice, OutboundMessage
from worker.db.session import make_engine, make_session_factory
from worker.usecases.businesses import create_business
from worker.usecases.inbound_store import store_inbound
from worker.usecases.payments import record_payment
from worker.usecases.process_inbound import process_inbound
from worker.usecases.render_outbound import ensure_rendered
from worker.usecases.tick import run_tick

SERVICE = "invoices@service.test"
INGEST = "invoices+in-jansen-secret@service.test"  # the business's secret ingest address
LETTERS = LetterSettings(SERVICE, "service.test", None)
NOW = datetime(2027, 1, 5, 9, tzinfo=UTC)  # a Tuesday, 10:00 in Amsterdam; the invoice is due on the 12th


@pytest.fixture
def sessions(any_database_url):
    engine = make_engine(any_database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        create_business(session, name="Jansen", senders=["billing@jansen.example"],
                        from_address="billing@jansen.example", iban="NL91ABNA0417164300", ingest_address=INGEST,
                        now=NOW)
    ingest(sessions, invoice_mail(seller_name="Jansen", seller_email="billing@jansen.example", to="ap@klant.example",
                                  bcc=INGEST, number="2027-0500", issue=date(2026, 12, 13), due=date(2027, 1, 12),
                                  amount="121.00", buyer_name="Klant B.V."))
    yield sessions
    engine.dispose()


def ingest(sessions, raw: bytes):
    inbound_id, _ = store_inbound(sessions, raw, mailbox_uid=None, now=NOW)
    return process_inbound(sessions, inbound_id, letters=LETTERS, now=NOW)


def outbox(sessions) -> list[OutboundMessage]:
    """The outbox with every letter rendered, as the send job renders what the tick only recorded."""
    with sessions.begin() as session:
        ids = list(session.scalars(select(OutboundMessage.id).order_by(OutboundMessage.id)))
    for outbound_id in ids:
        assert ensure_rendered(sessions, outbound_id, LETTERS, NOW) is not None
    with sessions.begin() as session:
        return list(session.scalars(select(OutboundMessage).order_by(OutboundMessage.id)))


def test_a_copy_request_is_answered_with_the_original_invoice(sessions):
    with sessions.begin() as session:
        token = session.scalars(select(Invoice.reply_token)).one()
    outcome = ingest(sessions, reply_mail(sender="ap@klant.example", to=reply_address(SERVICE, token),
                                          in_reply_to=None, subject="Factuur 2027-0500",
                                          body="Goedemiddag,\n\nKunt u mij een kopie van de factuur sturen?\n\nGroet"))
    assert (outcome.status, outcome.kind) == ("processed", "reply")
    [copy] = outbox(sessions)
    assert copy.step.startswith("invoice_copy") and copy.to_addresses == ["ap@klant.example"]
    message = message_from_bytes(copy.raw, policy=policy.default)
    names = [part.get_filename() for part in message.iter_attachments()]
    assert "factuur-2027-0500.pdf" in names  # the original the business sent, next to the letter
    with sessions.begin() as session:
        assert session.scalars(select(Invoice.status)).one() == "open"  # the copy answers it: the ladder goes on


def test_paying_on_time_is_thanked_once(sessions):
    with sessions.begin() as session:
        invoice = session.scalars(select(Invoice)).one()
        record_payment(session, invoice, Decimal("121.00"), paid_on=date(2027, 1, 4), note=None, now=NOW)
    run_tick(sessions, NOW, LETTERS, lambda *_: None)
    run_tick(sessions, NOW, LETTERS, lambda *_: None)
    [thanks] = outbox(sessions)
    assert thanks.step == "thank_you" and thanks.to_addresses == ["ap@klant.example"]


def test_paying_late_is_not_thanked(sessions):
    with sessions.begin() as session:
        invoice = session.scalars(select(Invoice)).one()
        # booked when it arrived: a payment dated in the future is refused
        record_payment(session, invoice, Decimal("121.00"), paid_on=date(2027, 2, 1), note=None, now=at("2027-02-01"))
    run_tick(sessions, at("2027-02-01"), LETTERS, lambda *_: None)
    assert outbox(sessions) == []


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=9), UTC)  # 10:00 CET


def test_a_payment_plan_replaces_the_ladder_until_an_instalment_is_missed(sessions):
    from worker.usecases.payment_plans import agree_payment_plan

    with sessions.begin() as session:
        invoice = session.scalars(select(Invoice)).one()
        agree_payment_plan(session, invoice, [(date(2027, 1, 20), Decimal("60.00")),
                                              (date(2027, 2, 19), Decimal("61.00"))], now=NOW, letters=LETTERS)
    [confirmation] = outbox(sessions)
    text = message_from_bytes(confirmation.raw, policy=policy.default).get_body(("plain",)).get_content()
    assert confirmation.step.startswith("payment_plan_confirmation") and "60,00" in text and "61,00" in text

    steps = []
    for day in ("2027-01-14", "2027-01-18", "2027-01-19"):  # the ladder's reminder day; the instalment's notice
        run_tick(sessions, at(day), LETTERS, lambda *_: None)
        steps.append([m.step for m in outbox(sessions)][1:])
    assert steps[0] == []  # no ladder reminder while the plan runs
    assert steps[1] == steps[2] == ["instalment_1"]
    first = message_from_bytes(outbox(sessions)[1].raw, policy=policy.default).get_body(("plain",)).get_content()
    assert "60,00" in first

    with sessions.begin() as session:
        invoice = session.scalars(select(Invoice)).one()
        record_payment(session, invoice, Decimal("60.00"), paid_on=date(2027, 1, 19), note=None, now=at("2027-01-19"))
    run_tick(sessions, at("2027-02-17"), LETTERS, lambda *_: None)
    assert [m.step for m in outbox(sessions)][-1] == "instalment_2"
    # the second instalment is missed: after its grace days the ladder takes over again
    for day in ("2027-02-24", "2027-02-25", "2027-02-26", "2027-03-01", "2027-03-02"):
        run_tick(sessions, at(day), LETTERS, lambda *_: None)
    later = [m.step for m in outbox(sessions)][3:]
    assert later[:1] == ["reminder"], later  # not the arrival check or courtesy note: it is long overdue
    with sessions.begin() as session:
        assert session.scalars(select(Invoice.amount_paid)).one() == Decimal("60.00")
