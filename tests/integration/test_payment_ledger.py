"""Booking payments on a real database: events only ever added, the paid amount always their sum."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from worker.adapters.letters import LetterSettings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice, OutboundMessage, Payment
from worker.db.session import make_engine, make_session_factory
from worker.domain.ledger import credit_amount, paid_amount
from worker.usecases.businesses import create_business
from worker.usecases.ledger import entries, open_amount
from worker.usecases.payments import PaymentInvalid, PaymentRejected, record_payment, reverse_payment

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
LETTERS = LetterSettings("invoices@service.test", "service.test", None)


@pytest.fixture
def sessions(any_database_url):
    engine = make_engine(any_database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        business, _ = create_business(session, name="Acme", senders=["billing@acme.example"], language="en",
                                      from_address="billing@acme.example", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", name="Klant", created_at=NOW)
        session.add(debtor)
        session.flush()
        session.add(Invoice(business_id=business.id, debtor_id=debtor.id, number="F-1", due_date=date(2027, 1, 1),
                            currency="EUR", amount_due=Decimal("363.00"), amount_paid=Decimal(0), status="open",
                            reply_token="t", parsed={}, created_at=NOW))
    yield sessions
    engine.dispose()


def test_the_paid_amount_is_always_the_sum_of_the_events(sessions):
    with sessions.begin() as session:
        invoice = session.scalars(select(Invoice)).one()
        first = record_payment(session, invoice, Decimal("100.00"), paid_on=None, now=NOW, note="remittance",
                               source="remittance")
        record_payment(session, invoice, Decimal("300.00"), paid_on=date(2027, 1, 31), note=None, now=NOW,
                       overpayment=True, letters=LETTERS)
        assert invoice.status == "paid" and open_amount(invoice) == Decimal("0.00")
        reverse_payment(session, invoice, first.id, note="wrong invoice", now=NOW)
        events = entries(session, invoice.id)
        assert invoice.amount_paid == paid_amount(events) == Decimal("263.00")
        assert credit_amount(events) == Decimal("37.00")
        assert (invoice.status, open_amount(invoice)) == ("open", Decimal("100.00"))
        assert [p.source for p in session.scalars(select(Payment).order_by(Payment.id))] == [
            "remittance", "api", "api"]
        [notice] = session.scalars(select(OutboundMessage)).all()
        assert notice.subject.endswith("Klant paid €37.00 too much on invoice F-1")


def test_payment_events_cannot_be_changed(sessions):
    with sessions.begin() as session:
        invoice = session.scalars(select(Invoice)).one()
        payment = record_payment(session, invoice, Decimal("10.00"), paid_on=None, note=None, now=NOW)
        payment.amount = Decimal("1000.00")
        with pytest.raises(ValueError, match="immutable"):
            session.flush()


def test_what_cannot_be_booked(sessions):
    with sessions.begin() as session:
        invoice = session.scalars(select(Invoice)).one()
        with pytest.raises(PaymentInvalid, match="positive"):
            record_payment(session, invoice, Decimal("0"), paid_on=None, note=None, now=NOW)
        with pytest.raises(PaymentInvalid, match="the open amount is EUR 363.00"):
            # the way remittance advice books: positional, no flag; too much goes to a person instead
            record_payment(session, invoice, Decimal("400.00"), paid_on=None, now=NOW, note="remittance advice")
        with pytest.raises(PaymentInvalid, match="in the future"):
            record_payment(session, invoice, Decimal("1.00"), paid_on=date(2027, 2, 2), note=None, now=NOW)
        invoice.status = "credited"
        with pytest.raises(PaymentRejected, match="was credited"):
            record_payment(session, invoice, Decimal("1.00"), paid_on=None, note=None, now=NOW)
        assert session.scalars(select(Payment)).all() == []
