"""Webhooks through the finance API, delivered to a real local HTTP server that verifies their signatures."""

import json
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from random import Random

import pytest
from fastapi.testclient import TestClient

from tests.e2e.harness import MovableClock
from tests.integration.webhook_receiver import start_receiver
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice
from worker.domain.retry_schedule import RetrySchedule
from worker.domain.webhook_signature import HEADER, verify
from worker.usecases.api_keys import issue_key
from worker.usecases.businesses import create_business
from worker.usecases.webhook_delivery import deliver_due
from worker.usecases.webhook_outbox import watch_webhooks

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)


@pytest.fixture
def receiver():
    server = start_receiver()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _service(database_url, tmp_path, *, kick):
    container = build_container(Settings(data_dir=tmp_path, database_url=database_url, letter_format="docx",
                                         webhook_allow_private=True))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    if not kick:  # deliveries are written, and each test runs the delivery pass itself at the time it chooses
        watch_webhooks(container.sessions, None)
    client = TestClient(create_app(container))
    with container.sessions.begin() as session:
        business, _ = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", language="nl", now=NOW)
        _row, key = issue_key(session, business.id, label="erp koppeling", now=NOW)
        _other, other_key = create_business(session, name="pietersen", senders=["b@pietersen.example"],
                                            from_address="b@pietersen.example", language="nl", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", name="Klant", created_at=NOW)
        session.add(debtor)
        session.flush()
        invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number="F-1", due_date=date(2027, 1, 1),
                          currency="EUR", amount_due=Decimal("100.00"), amount_paid=Decimal(0), status="open",
                          reply_token="f1", parsed={}, created_at=NOW)
        session.add(invoice)
        session.flush()
        invoice_id = invoice.id
    return container, client, key, other_key, invoice_id


@pytest.fixture
def api(any_database_url, tmp_path):
    container, client, key, other_key, invoice_id = _service(any_database_url, tmp_path, kick=False)
    yield container, client, key, other_key, invoice_id
    container.engine.dispose()


def add(client, key, url, events=("invoice.status_changed", "payment.recorded")):
    return client.post("/webhooks", headers={"X-API-Key": key}, json={"url": url, "events": list(events)})


def pay(client, key, invoice_id, amount="100.00"):
    answer = client.post(f"/invoices/{invoice_id}/payments", headers={"X-API-Key": key},
                         json={"amount": amount, "paid_on": "2027-01-30"})
    assert answer.status_code == 200, answer.text


def test_a_payment_is_told_signed_to_the_endpoint_and_logged(api, receiver):
    container, client, key, _other, invoice_id = api
    created = add(client, key, receiver.url)
    assert created.status_code == 201, created.text
    hook = created.json()
    assert hook["secret"].startswith("whsec_") and hook["created_by"] == "erp koppeling"
    listed = client.get("/webhooks", headers={"X-API-Key": key}).json()
    assert [h["id"] for h in listed] == [hook["id"]] and "secret" not in listed[0]

    pay(client, key, invoice_id)
    assert deliver_due(container.sessions, NOW, allow_private=True) == {
        "delivered": 2, "retrying": 0, "failed": 0, "dropped": 0}
    assert deliver_due(container.sessions, NOW, allow_private=True)["delivered"] == 0  # each event once
    events = {}
    for request in receiver.received:
        assert request.path == "/hooks/dunning"
        assert verify(hook["secret"], request.headers[HEADER], request.body, NOW)
        assert not verify(hook["secret"], request.headers[HEADER], request.body + b" ", NOW)  # a changed body
        assert not verify("whsec_other", request.headers[HEADER], request.body, NOW)
        assert request.headers[HEADER].startswith(f"t={int(NOW.timestamp())},v1=")
        payload = json.loads(request.body)
        events[payload["type"]] = payload
    changed = events["invoice.status_changed"]["data"]
    assert (changed["invoice_id"], changed["number"], changed["from"], changed["to"]) == (invoice_id, "F-1", "open",
                                                                                          "paid")
    assert events["payment.recorded"]["data"]["invoice_id"] == invoice_id
    log = client.get(f"/webhooks/{hook['id']}/deliveries", headers={"X-API-Key": key}).json()
    assert sorted(d["event"] for d in log) == ["invoice.status_changed", "payment.recorded"]
    assert {(d["status"], d["attempts"], d["last_status_code"]) for d in log} == {("delivered", 1, 200)}


def test_a_failing_endpoint_is_retried_on_the_schedule_then_given_up(api, receiver):
    container, client, key, _other, invoice_id = api
    hook = add(client, key, receiver.url, ["payment.recorded"]).json()
    receiver.answers = [500, 503, 500]
    pay(client, key, invoice_id, "40.00")
    schedule = RetrySchedule(initial=60, exp_base=2, cap=3600, jitter=10, attempts=3)
    assert deliver_due(container.sessions, NOW, allow_private=True, schedule=schedule, rng=Random(1))["retrying"] == 1
    [row] = client.get(f"/webhooks/{hook['id']}/deliveries", headers={"X-API-Key": key}).json()
    first_retry = NOW + schedule.delay(1, Random(1))
    assert (row["status"], row["attempts"], row["last_status_code"]) == ("pending", 1, 500)
    assert datetime.fromisoformat(row["next_attempt_at"]) == first_retry
    # Not before its time: nothing is sent a second early.
    assert deliver_due(container.sessions, first_retry - timedelta(seconds=1), allow_private=True,
                       schedule=schedule)["retrying"] == 0
    assert len(receiver.received) == 1
    deliver_due(container.sessions, first_retry, allow_private=True, schedule=schedule, rng=Random(2))
    [row] = client.get(f"/webhooks/{hook['id']}/deliveries", headers={"X-API-Key": key}).json()
    second_retry = first_retry + schedule.delay(2, Random(2))
    assert datetime.fromisoformat(row["next_attempt_at"]) == second_retry and row["attempts"] == 2
    assert deliver_due(container.sessions, second_retry, allow_private=True, schedule=schedule)["failed"] == 1
    [row] = client.get(f"/webhooks/{hook['id']}/deliveries?status=failed", headers={"X-API-Key": key}).json()
    assert row["attempts"] == 3 and row["next_attempt_at"] is None and "HTTP 500" in row["last_error"]
    assert len(receiver.received) == 3
    # Each attempt carries the same event id: the receiver can tell a retry from a new event.
    assert len({json.loads(r.body)["id"] for r in receiver.received}) == 1


def test_a_deleted_webhook_gets_nothing_new_and_its_pending_deliveries_are_dropped(api, receiver):
    container, client, key, _other, invoice_id = api
    hook = add(client, key, receiver.url, ["payment.recorded"]).json()
    pay(client, key, invoice_id, "10.00")
    assert client.delete(f"/webhooks/{hook['id']}", headers={"X-API-Key": key}).status_code == 204
    assert client.delete(f"/webhooks/{hook['id']}", headers={"X-API-Key": key}).status_code == 404
    pay(client, key, invoice_id, "10.00")
    assert deliver_due(container.sessions, NOW, allow_private=True)["dropped"] == 1
    assert receiver.received == []
    log = client.get(f"/webhooks/{hook['id']}/deliveries", headers={"X-API-Key": key}).json()
    assert [(d["status"], d["last_error"]) for d in log] == [("failed", "the webhook was deleted")]
    assert client.get("/webhooks", headers={"X-API-Key": key}).json() == []


def test_another_business_can_neither_see_nor_delete_a_webhook_nor_is_told_of_its_events(api, receiver):
    container, client, key, other_key, invoice_id = api
    hook = add(client, key, receiver.url).json()
    other = add(client, other_key, receiver.url, ["payment.recorded"]).json()
    assert client.get(f"/webhooks/{hook['id']}/deliveries", headers={"X-API-Key": other_key}).status_code == 404
    assert client.delete(f"/webhooks/{hook['id']}", headers={"X-API-Key": other_key}).status_code == 404
    assert client.get("/webhooks/999999/deliveries", headers={"X-API-Key": key}).status_code == 404
    assert [h["id"] for h in client.get("/webhooks", headers={"X-API-Key": other_key}).json()] == [other["id"]]
    pay(client, key, invoice_id)
    assert client.get(f"/webhooks/{other['id']}/deliveries", headers={"X-API-Key": other_key}).json() == []
    assert client.get("/webhooks", headers={}).status_code == 401


@pytest.mark.parametrize(("body", "words"), [
    ({"url": "ftp://example.com/x", "events": ["payment.recorded"]}, "https://"),
    ({"url": "https://example.com/x", "events": ["invoice.deleted"]}, "unknown event invoice.deleted"),
    ({"url": "https://example.com/x", "events": []}, "events"),
    ({"url": "https://user:pw@example.com/x", "events": ["payment.recorded"]}, "password"),
    ({"url": "https://example.com:99999/x", "events": ["payment.recorded"]}, "port"),
    ({"url": "https://example.com/a b", "events": ["payment.recorded"]}, "spaces"),
    ({"url": "https://example.com/x", "events": ["payment.recorded"], "description": "a\nb"}, "single line"),
    ({"url": "https://example.com/x", "events": "payment.recorded"}, "events"),
    ({"events": ["payment.recorded"]}, "url"),
    ({"url": "https://example.com/x", "events": ["payment.recorded"], "colour": "red"}, "colour"),
])
def test_bad_input_is_refused_with_422_naming_the_field(api, body, words):
    _container, client, key, _other, _invoice = api
    answer = client.post("/webhooks", headers={"X-API-Key": key}, json=body)
    assert answer.status_code == 422, answer.text
    assert words in answer.text


def test_without_the_setting_loopback_and_private_targets_are_refused(any_database_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    client = TestClient(create_app(container))
    with container.sessions.begin() as session:
        _business, key = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                         from_address="billing@jansen.example", language="nl", now=NOW)
    for url in ("http://127.0.0.1:8080/x", "https://10.1.2.3/x", "http://[::1]/x", "http://169.254.169.254/latest",
                "http://localhost/x"):
        answer = add(client, key, url)
        assert answer.status_code == 422, url
        assert "private" in answer.text or "loopback" in answer.text
    container.engine.dispose()


def test_a_commit_that_writes_deliveries_has_them_delivered_without_being_asked(any_database_url, tmp_path, receiver):
    """No Redis: the kick delivers in a thread of the API process, after the request's commit."""
    container, client, key, _other, invoice_id = _service(any_database_url, tmp_path, kick=True)
    hook = add(client, key, receiver.url, ["payment.recorded"]).json()
    pay(client, key, invoice_id, "5.00")
    assert receiver.arrived.wait(10), "the delivery never arrived"
    for thread in threading.enumerate():
        if thread.name == "webhook-delivery":
            thread.join(10)  # the pass records the answer after the endpoint's 200
    assert verify(hook["secret"], receiver.received[0].headers[HEADER], receiver.received[0].body, NOW)
    log = client.get(f"/webhooks/{hook['id']}/deliveries", headers={"X-API-Key": key}).json()
    assert [(d["status"], d["attempts"]) for d in log] == [("delivered", 1)]
    container.engine.dispose()
