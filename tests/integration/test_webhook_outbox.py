"""Webhook deliveries are written with the events they tell, in the same transaction, for subscribers only."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select

from worker.db.models import Debtor, Invoice
from worker.db.webhook_models import Webhook, WebhookDelivery
from worker.domain.events import EventKind
from worker.usecases.businesses import create_business
from worker.usecases.timeline import record_event
from worker.usecases.webhook_outbox import watch_webhooks

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)


@pytest.fixture
def shop(sessions):
    kicks = []
    watch_webhooks(sessions, lambda: kicks.append(1))
    with sessions.begin() as session:
        business, _ = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", now=NOW)
        other, _ = create_business(session, name="pietersen", senders=["b@pietersen.example"],
                                   from_address="b@pietersen.example", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", created_at=NOW)
        session.add(debtor)
        session.flush()
        invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number="F-1", due_date=date(2027, 1, 1),
                          currency="EUR", amount_due=Decimal("100.00"), amount_paid=Decimal(0), status="open",
                          reply_token="f1", parsed={}, created_at=NOW)
        session.add(invoice)
        for business_id, events in ((business.id, ["reply.received", "review.created"]),
                                    (business.id, ["invoice.status_changed"]),
                                    (other.id, ["reply.received", "review.created", "invoice.status_changed"])):
            session.add(Webhook(business_id=business_id, url="https://hooks.example/x", events=events,
                                secret="whsec_t", created_by="t", created_at=NOW))
        session.flush()
        ids = business.id, invoice.id
    kicks.clear()
    return sessions, ids, kicks


def _deliveries(sessions):
    with sessions() as session:
        return [(d.webhook_id, d.event, d.payload["data"]) for d in
                session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))]


def test_timeline_events_and_status_changes_become_deliveries_for_the_business_s_subscribers(shop):
    sessions, (business_id, invoice_id), kicks = shop
    with sessions.begin() as session:
        event = record_event(session, EventKind.REPLY_RECEIVED, at=NOW, business_id=business_id,
                             invoice_id=invoice_id, intent="promise")
        record_event(session, EventKind.INVOICE_HELD_FOR_REVIEW, at=NOW, business_id=business_id,
                     invoice_id=invoice_id, reasons=["amount uncertain"])
        record_event(session, EventKind.REMINDER_SENT, at=NOW, business_id=business_id, invoice_id=invoice_id)
        session.get_one(Invoice, invoice_id).status = "paused"
        session.flush()
        event_id = event.id
    rows = _deliveries(sessions)
    assert [(hook, name) for hook, name, _ in rows] == [(1, "reply.received"), (1, "review.created"),
                                                        (2, "invoice.status_changed")]
    assert rows[0][2]["timeline_event_id"] == event_id and rows[0][2]["details"] == {"intent": "promise"}
    assert (rows[2][2]["from"], rows[2][2]["to"], rows[2][2]["at"]) == ("open", "paused", NOW.isoformat())
    assert kicks == [1]  # one kick per commit that wrote deliveries


def test_a_rolled_back_event_is_never_told(shop):
    sessions, (business_id, invoice_id), kicks = shop
    with pytest.raises(RuntimeError), sessions.begin() as session:
        record_event(session, EventKind.REPLY_RECEIVED, at=NOW, business_id=business_id, invoice_id=invoice_id)
        session.flush()
        raise RuntimeError("the use case failed after its event")
    assert _deliveries(sessions) == [] and kicks == []
    with sessions.begin() as session:  # a deleted webhook is told nothing new
        for hook in session.scalars(select(Webhook)):
            hook.deleted_at = NOW
        record_event(session, EventKind.REPLY_RECEIVED, at=NOW, business_id=business_id, invoice_id=invoice_id)
    assert _deliveries(sessions) == [] and kicks == []
