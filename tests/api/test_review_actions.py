"""Review queue actions on a real database: assign, dismiss, release; conflicts 409, other businesses 404."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, InboundMessage, Invoice
from worker.domain.events import EventKind
from worker.usecases.businesses import create_business
from worker.usecases.timeline import record_event

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
REPLY = (b"From: ap@jansen-klant.example\r\nTo: billing@jansen.example\r\nSubject: factuur\r\n"
         b"Message-ID: <q1@klant.example>\r\nDate: Mon, 1 Feb 2027 08:00:00 +0000\r\n\r\n"
         b"Kunt u mij bellen over deze rekening? Ik begrijp het bedrag niet helemaal.\r\n")


@pytest.fixture
def api(any_database_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    keys, ids = {}, {}
    with container.sessions.begin() as session:
        for name in ("jansen", "acme"):
            business, keys[name] = create_business(session, name=name, senders=[f"billing@{name}.example"],
                                                   from_address=f"billing@{name}.example", iban="NL91ABNA0417164300",
                                                   now=NOW)
            debtor = Debtor(business_id=business.id, contact_email=f"ap@{name}-klant.example", name="Klant",
                            created_at=NOW)
            session.add(debtor)
            session.flush()
            invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number="F-1", issue_date=date(2026, 12, 1),
                              due_date=date(2027, 1, 12), currency="EUR", amount_due=Decimal("121.00"),
                              amount_paid=Decimal(0), status="open", reply_token=f"{name}f1", parsed={},
                              created_at=NOW)
            held = Invoice(business_id=business.id, debtor_id=debtor.id, number="F-2?", issue_date=None,
                           due_date=None, currency=None, amount_due=None, amount_paid=Decimal(0), status="review",
                           status_reason="amount not read", reply_token=f"{name}f2", parsed={}, created_at=NOW)
            message = InboundMessage(business_id=business.id, message_key=f"<q-{name}>", raw=REPLY,
                                     from_address="ap@jansen-klant.example", subject="factuur", status="quarantined",
                                     reason="reply not matched to an invoice", received_at=NOW)
            session.add_all([invoice, held, message])
            session.flush()
            notice = record_event(session, EventKind.GENERAL_ADDRESS_MISSING, at=NOW, business_id=business.id,
                                  invoice_id=invoice.id, debtor_id=debtor.id)
            session.flush()
            ids[name] = {"invoice": invoice.id, "held": held.id, "message": message.id, "notice": notice.id}
    client = TestClient(create_app(container))
    yield client, keys, ids
    container.engine.dispose()


def call(client, method, path, key, **kw):
    return client.request(method, path, headers={"X-API-Key": key}, **kw)


def test_queue_items_say_what_why_and_actions(api):
    client, keys, ids = api
    queue = call(client, "GET", "/review", keys["jansen"]).json()
    held = next(i for i in queue["invoices"] if i["id"] == ids["jansen"]["held"])
    assert (held["item"], held["why"], held["actions"]) == ("held_invoice", "amount not read", ["release"])
    [message] = queue["quarantined"]
    assert message["item"] == "quarantined_message" and message["actions"] == ["assign", "not_ours"]
    [notice] = queue["notices"]
    assert notice["item"] == "general_address_missing" and notice["actions"] == ["dismiss"]


def test_assign_quarantined_reply_pauses_the_invoice_and_is_on_the_timeline(api):
    client, keys, ids = api
    mine = ids["jansen"]
    path = f"/review/messages/{mine['message']}/assign"
    # another business's message or invoice is simply not found
    assert call(client, "POST", f"/review/messages/{ids['acme']['message']}/assign", keys["jansen"],
                json={"invoice_id": mine["invoice"]}).status_code == 404
    assert call(client, "POST", path, keys["jansen"], json={"invoice_id": ids["acme"]["invoice"]}).status_code == 404
    done = call(client, "POST", path, keys["jansen"], json={"invoice_id": mine["invoice"], "note": "their reply"})
    assert done.status_code == 200, done.text
    assert done.json()["invoice"]["status"] == "paused"  # a question: a person answers it
    timeline = call(client, "GET", f"/invoices/{mine['invoice']}", keys["jansen"]).json()["timeline"]
    decided = [e for e in timeline if e["kind"] == "ReviewDecided"]
    assert decided[0]["data"]["action"] == "assign" and decided[0]["data"]["who"].startswith("api key ")
    assert "ReplyReceived" in [e["kind"] for e in timeline]
    again = call(client, "POST", path, keys["jansen"], json={"invoice_id": mine["invoice"]})
    assert again.status_code == 409 and again.json()["error"] == "conflict" and again.json()["field"] is None
    assert call(client, "GET", "/review", keys["jansen"]).json()["quarantined"] == []
    assert call(client, "POST", f"/review/messages/{mine['message']}/not-ours", keys["jansen"],
                json={}).status_code == 409


def test_dismiss_a_notice_once(api):
    client, keys, ids = api
    path = f"/review/notices/{ids['jansen']['notice']}/dismiss"
    assert call(client, "POST", path, keys["acme"], json={}).status_code == 404
    assert call(client, "POST", path, keys["jansen"], json={"note": "added by phone"}).status_code == 200
    assert call(client, "GET", "/review", keys["jansen"]).json()["notices"] == []
    assert call(client, "POST", path, keys["jansen"], json={}).status_code == 409
    assert len(call(client, "GET", "/review", keys["acme"]).json()["notices"]) == 1  # theirs stays


def test_release_a_held_invoice_after_correcting_it(api):
    client, keys, ids = api
    path = f"/review/invoices/{ids['jansen']['held']}/release"
    missing = call(client, "POST", path, keys["jansen"], json={"number": "F-2"})
    assert missing.status_code == 422 and missing.json()["field"] == "amount_due"
    bad = call(client, "POST", path, keys["jansen"], json={"amount_due": "-3"})
    assert bad.status_code == 422 and bad.json()["field"] == "amount_due" and "amount_due" in bad.json()["message"]
    taken = call(client, "POST", path, keys["jansen"], json={"number": "F-1", "amount_due": "50.00",
                                                              "due_date": "2027-02-15"})
    assert taken.status_code == 422 and taken.json()["field"] == "number"
    assert call(client, "POST", path, keys["acme"], json={"amount_due": "50.00"}).status_code == 404
    done = call(client, "POST", path, keys["jansen"], json={"number": "F-2", "amount_due": "50.00",
                                                             "due_date": "2027-02-15"})
    assert done.status_code == 200, done.text
    invoice = done.json()["invoice"]
    assert (invoice["status"], invoice["number"], invoice["amount_due"]) == ("open", "F-2", "50.00")
    assert done.json()["event"]["data"]["changes"]["amount_due"] == [None, "50.00"]
    assert call(client, "POST", path, keys["jansen"], json={}).status_code == 409


def test_every_error_has_one_shape(api):
    client, keys, _ = api
    for answer, status in ((client.get("/invoices"), 401), (call(client, "GET", "/nowhere", keys["jansen"]), 404),
                           (call(client, "DELETE", "/review", keys["jansen"]), 405),
                           (call(client, "GET", "/invoices?limit=0", keys["jansen"]), 422)):
        body = answer.json()
        assert answer.status_code == status and set(body) == {"error", "message", "field"}, body
        assert body["message"] and "Traceback" not in body["message"]
    assert call(client, "GET", "/invoices?limit=0", keys["jansen"]).json()["field"] == "limit"


def test_openapi_lists_the_error_answers_on_every_operation(api):
    client, _, _ = api
    schema = client.get("/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("401", "404", "409", "422"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"] == {"$ref": "#/components/schemas/Error"}, (method, path, status)
                assert set(content["example"]) == {"error", "message", "field"}
