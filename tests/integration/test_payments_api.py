"""Payments through the finance API on a real database: idempotent, never more than open, reversible, derived."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice, OutboundMessage, Payment
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)  # 10:00 in Amsterdam


def make_client(database_url, tmp_path) -> TestClient:
    container = build_container(Settings(data_dir=tmp_path, database_url=database_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    return TestClient(create_app(container))


@pytest.fixture
def api(any_database_url, tmp_path):
    """Two businesses, each with a debtor and invoice F-1 of EUR 363.00 (and F-2 of EUR 50.00)."""
    client = make_client(any_database_url, tmp_path)
    keys, ids = {}, {}
    with client.app.state.container.sessions.begin() as session:
        for name, language in (("jansen", "nl"), ("acme", "en")):
            business, keys[name] = create_business(session, name=name, senders=[f"billing@{name}.example"],
                                                   from_address=f"billing@{name}.example", language=language,
                                                   iban="NL91ABNA0417164300", now=NOW)
            debtor = Debtor(business_id=business.id, contact_email=f"ap@{name}-klant.example", name="Klant B.V.",
                            created_at=NOW)
            session.add(debtor)
            session.flush()
            for number, amount in (("F-1", "363.00"), ("F-2", "50.00")):
                invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number=number,
                                  issue_date=date(2026, 12, 1), due_date=date(2027, 1, 1), currency="EUR",
                                  amount_due=Decimal(amount), amount_paid=Decimal(0), status="open",
                                  reply_token=f"{name}{number}".lower(), parsed={}, created_at=NOW)
                session.add(invoice)
                session.flush()
                ids[(name, number)] = invoice.id
    yield client, keys, ids
    client.app.state.container.engine.dispose()


def post(client, path, key, body, idempotency_key=None):
    headers = {"X-API-Key": key} | ({"Idempotency-Key": idempotency_key} if idempotency_key else {})
    return client.post(path, headers=headers, json=body)


def get(client, path, key):
    return client.get(path, headers={"X-API-Key": key})


def booked(client, invoice_id) -> int:
    with client.app.state.container.sessions.begin() as session:
        return session.scalar(select(func.count()).select_from(Payment).where(Payment.invoice_id == invoice_id))


def test_the_same_key_and_body_books_once_and_answers_the_same(api):
    client, keys, ids = api
    path = f"/invoices/{ids[('jansen', 'F-1')]}/payments"
    first = post(client, path, keys["jansen"], {"amount": "100.00", "paid_on": "2027-01-30"}, "retry-1")
    again = post(client, path, keys["jansen"], {"amount": "100", "paid_on": "2027-01-30"}, "retry-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json() and first.json()["amount_paid"] == "100.00"
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert booked(client, ids[("jansen", "F-1")]) == 1
    assert get(client, f"/invoices/{ids[('jansen', 'F-1')]}", keys["jansen"]).json()["amount_paid"] == "100.00"


def test_without_a_key_each_post_is_a_new_payment(api):
    client, keys, ids = api
    path = f"/invoices/{ids[('jansen', 'F-1')]}/payments"
    for _ in range(2):
        assert post(client, path, keys["jansen"], {"amount": "100.00"}).status_code == 200
    assert get(client, path, keys["jansen"]).json()[-1]["amount"] == "100.00"
    assert booked(client, ids[("jansen", "F-1")]) == 2


def test_a_key_reused_for_a_different_request_is_refused_with_409(api):
    client, keys, ids = api
    path = f"/invoices/{ids[('jansen', 'F-1')]}/payments"
    assert post(client, path, keys["jansen"], {"amount": "100.00"}, "k-1").status_code == 200
    other_amount = post(client, path, keys["jansen"], {"amount": "101.00"}, "k-1")
    other_invoice = post(client, f"/invoices/{ids[('jansen', 'F-2')]}/payments", keys["jansen"],
                         {"amount": "100.00"}, "k-1")
    assert other_amount.status_code == other_invoice.status_code == 409
    assert "Idempotency-Key 'k-1' was already used" in other_amount.json()["message"]
    assert "new key" in other_amount.json()["message"]
    assert booked(client, ids[("jansen", "F-1")]) == 1 and booked(client, ids[("jansen", "F-2")]) == 0
    # keys belong to one business: another business may use the same string
    acme = post(client, f"/invoices/{ids[('acme', 'F-1')]}/payments", keys["acme"], {"amount": "100.00"}, "k-1")
    assert acme.status_code == 200 and acme.json()["number"] == "F-1"


def test_the_first_answer_survives_a_restart(api, tmp_path):
    client, keys, ids = api
    path = f"/invoices/{ids[('jansen', 'F-1')]}/payments"
    first = post(client, path, keys["jansen"], {"amount": "363.00"}, "after-restart")
    restarted = make_client(str(client.app.state.container.engine.url.render_as_string(hide_password=False)),
                            tmp_path / "second")
    again = post(restarted, path, keys["jansen"], {"amount": "363.00"}, "after-restart")
    assert (again.status_code, again.json()) == (first.status_code, first.json())
    assert again.json()["status"] == "paid" and booked(client, ids[("jansen", "F-1")]) == 1
    restarted.app.state.container.engine.dispose()


def test_more_than_open_is_refused_with_the_open_amount(api):
    client, keys, ids = api
    path = f"/invoices/{ids[('jansen', 'F-1')]}/payments"
    assert post(client, path, keys["jansen"], {"amount": "63.00"}).status_code == 200
    refused = post(client, path, keys["jansen"], {"amount": "100000.00"}, "big")
    assert refused.status_code == 422
    assert "the open amount is EUR 300.00" in refused.json()["message"]
    assert '"overpayment": true' in refused.json()["message"]
    assert booked(client, ids[("jansen", "F-1")]) == 1
    # the refusal is not stored under the key: the corrected request may use it
    assert post(client, path, keys["jansen"], {"amount": "300.00"}, "big").json()["status"] == "paid"


def test_an_overpayment_on_purpose_is_a_credit_and_the_business_is_told_once(api):
    client, keys, ids = api
    invoice = ids[("jansen", "F-1")]
    path = f"/invoices/{invoice}/payments"
    paid = post(client, path, keys["jansen"], {"amount": "400.00", "overpayment": True}, "surplus")
    assert paid.status_code == 200
    assert (paid.json()["status"], paid.json()["amount_paid"]) == ("paid", "363.00")
    post(client, path, keys["jansen"], {"amount": "400.00", "overpayment": True}, "surplus")  # a retry
    [payment] = get(client, path, keys["jansen"]).json()
    assert (payment["amount"], payment["credit"], payment["kind"]) == ("400.00", "37.00", "payment")
    with client.app.state.container.sessions.begin() as session:
        notices = session.scalars(select(OutboundMessage).where(OutboundMessage.step == "notice:business")).all()
    assert [(n.to_addresses, n.invoice_id) for n in notices] == [(["billing@jansen.example"], invoice)]
    assert "37,00 te veel betaald op factuur F-1" in notices[0].subject  # the business's language (nl)
    timeline = [e["kind"] for e in get(client, f"/invoices/{invoice}", keys["jansen"]).json()["timeline"]]
    assert timeline == ["PaymentRecorded", "BusinessNotified"]


def test_a_payment_dated_in_the_future_is_refused(api):
    client, keys, ids = api
    path = f"/invoices/{ids[('jansen', 'F-1')]}/payments"
    refused = post(client, path, keys["jansen"], {"amount": "10.00", "paid_on": "2027-02-02"})
    assert refused.status_code == 422 and "2027-02-02 is in the future" in refused.json()["message"]
    assert post(client, path, keys["jansen"], {"amount": "10.00", "paid_on": "2027-02-01"}).status_code == 200
    assert booked(client, ids[("jansen", "F-1")]) == 1


def test_invalid_bodies_are_refused(api):
    client, keys, ids = api
    path = f"/invoices/{ids[('jansen', 'F-1')]}/payments"
    for body in ({"amount": "-1"}, {"amount": "0"}, {"amount": "10.001"}):
        assert post(client, path, keys["jansen"], body).status_code == 422
    assert post(client, path, keys["jansen"], {"amount": "1.00"}, "x" * 256).status_code == 422
    assert post(client, f"/invoices/{ids[('acme', 'F-1')]}/payments", keys["jansen"],
                {"amount": "1.00"}).status_code == 404
    assert booked(client, ids[("jansen", "F-1")]) == 0


def test_a_reversal_reopens_the_invoice_and_the_paid_amount_follows(api):
    client, keys, ids = api
    invoice = ids[("jansen", "F-1")]
    path = f"/invoices/{invoice}/payments"
    post(client, path, keys["jansen"], {"amount": "63.00"})
    assert post(client, path, keys["jansen"], {"amount": "300.00"}).json()["status"] == "paid"
    second = get(client, path, keys["jansen"]).json()[1]["id"]
    reversal = f"{path}/{second}/reversal"
    reopened = post(client, reversal, keys["jansen"], {"note": "belongs to F-2"}, "undo-1")
    assert reopened.status_code == 200
    assert (reopened.json()["status"], reopened.json()["amount_paid"]) == ("open", "63.00")
    assert post(client, reversal, keys["jansen"], {"note": "belongs to F-2"}, "undo-1").json() == reopened.json()
    again = post(client, reversal, keys["jansen"], {"note": "twice"})
    assert again.status_code == 409 and f"payment {second} was already reversed" in again.json()["message"]
    events = get(client, path, keys["jansen"]).json()
    assert [(e["kind"], e["amount"], e["reverses_id"], e["reversed_by"]) for e in events] == [
        ("payment", "63.00", None, None), ("payment", "300.00", None, events[2]["id"]),
        ("reversal", "300.00", second, None)]
    timeline = get(client, f"/invoices/{invoice}", keys["jansen"]).json()["timeline"]
    assert [(e["kind"], e["data"]["remaining"]) for e in timeline][-1] == ("PaymentReversed", "300.00")
    assert timeline[-1]["data"]["status"] == "open" and timeline[-1]["data"]["previous_status"] == "paid"
    assert post(client, f"{path}/999999/reversal", keys["jansen"], None).status_code == 404
    assert post(client, reversal.replace(str(invoice), str(ids[("acme", "F-1")])), keys["acme"],
                None).status_code == 404


def test_payment_routes_are_documented_with_examples(api):
    client, _, _ = api
    paths = client.get("/openapi.json").json()["paths"]
    booking = paths["/invoices/{invoice_id}/payments"]["post"]
    assert {"part", "surplus"} <= set(booking["requestBody"]["content"]["application/json"]["examples"])
    assert "Idempotency-Key" in [p["name"] for p in booking["parameters"]]
    assert {"404", "409", "422"} <= set(booking["responses"])
    assert "get" in paths["/invoices/{invoice_id}/payments"]
    assert "post" in paths["/invoices/{invoice_id}/payments/{payment_id}/reversal"]


class Gate:
    """Holds the first request to reach `hold_at` inside its transaction until another request reaches `release_at`.

    Each request runs its writes in one worker thread, so threads tell the requests apart.
    """

    def __init__(self, engine, hold_at: str, release_at: str) -> None:
        self.hold_at, self.release_at = hold_at, release_at
        self.holder: int | None = None
        self.arrived: set[int] = set()
        self.other_arrived = threading.Event()
        self.lock = threading.Lock()
        event.listen(engine, "before_cursor_execute", self)

    def __call__(self, conn, cursor, statement, parameters, context, executemany) -> None:
        me = threading.get_ident()
        with self.lock:
            if statement.startswith(self.release_at):
                self.arrived.add(me)
            hold = self.holder is None and statement.startswith(self.hold_at)
            if hold:
                self.holder = me
            if self.holder is not None and self.arrived - {self.holder}:
                self.other_arrived.set()
        if hold:  # no sleep: wait until the other request has got that far
            assert self.other_arrived.wait(timeout=20), f"the other request never reached {self.release_at}"


def test_concurrent_posts_with_the_same_key_book_once(api):
    client, keys, ids = api
    path = f"/invoices/{ids[('jansen', 'F-1')]}/payments"
    # the first request is held after booking its payment, before commit, until the second has looked for the key
    # (found nothing: not committed yet) and tries to claim it itself
    Gate(client.app.state.container.engine, "INSERT INTO payments", "INSERT INTO idempotency_keys")
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: post(client, path, keys["jansen"], {"amount": "100.00"}, "race"),
                                range(2)))
    assert [a.status_code for a in answers] == [200, 200]
    assert answers[0].json() == answers[1].json()
    assert booked(client, ids[("jansen", "F-1")]) == 1


def test_concurrent_payments_cannot_both_fit_the_open_amount(api):
    client, keys, ids = api
    path = f"/invoices/{ids[('jansen', 'F-1')]}/payments"
    # the first is held after booking, before commit, until the second tries to lock the same invoice (PostgreSQL
    # locks the row) or to write at all (SQLite has one write lock for the file)
    engine = client.app.state.container.engine
    Gate(engine, "INSERT INTO payments",
         "INSERT INTO idempotency_keys" if engine.dialect.name == "sqlite" else "UPDATE invoices")
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda k: post(client, path, keys["jansen"], {"amount": "363.00"}, k), ("a", "b")))
    assert sorted(a.status_code for a in answers) == [200, 422]
    assert booked(client, ids[("jansen", "F-1")]) == 1
    assert get(client, f"/invoices/{ids[('jansen', 'F-1')]}", keys["jansen"]).json()["amount_paid"] == "363.00"
