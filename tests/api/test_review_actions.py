"""Review queue actions on a real database: assign, dismiss, release; conflicts 409, other businesses 404."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.api.businesses import NAMES, api_container, business_with_debtor, client_for
from worker.db.models import Business, InboundMessage, Invoice, TimelineEvent
from worker.domain.events import EventKind
from worker.usecases.decision_batch import events_for
from worker.usecases.reported_payments import report_payment
from worker.usecases.timeline import record_event

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
REPLY = (b"From: ap@jansen-klant.example\r\nTo: billing@jansen.example\r\nSubject: factuur\r\n"
         b"Message-ID: <q1@klant.example>\r\nDate: Mon, 1 Feb 2027 08:00:00 +0000\r\n\r\n"
         b"Kunt u mij bellen over deze rekening? Ik begrijp het bedrag niet helemaal.\r\n")


@pytest.fixture
def api(any_database_url, tmp_path):
    container = api_container(any_database_url, tmp_path, NOW)
    keys, ids = {}, {}
    with container.sessions.begin() as session:
        for name in NAMES:
            business, keys[name], debtor = business_with_debtor(session, name, NOW)
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
    client = client_for(container)
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


def _assigned_reply(client, keys, ids) -> int:
    mine = ids["jansen"]
    call(client, "POST", f"/review/messages/{mine['message']}/assign", keys["jansen"],
         json={"invoice_id": mine["invoice"]})
    timeline = call(client, "GET", f"/invoices/{mine['invoice']}", keys["jansen"]).json()["timeline"]
    return next(e["id"] for e in timeline if e["kind"] == "ReplyReceived")


def test_correct_a_reply_to_a_promise_that_holds_the_ladder(api):
    client, keys, ids = api
    reply = _assigned_reply(client, keys, ids)
    path = f"/review/replies/{reply}/intent"
    assert call(client, "POST", path, keys["acme"], json={"intent": "other"}).status_code == 404
    undated = call(client, "POST", path, keys["jansen"], json={"intent": "promise_to_pay"})
    assert undated.status_code == 422 and undated.json()["field"] == "promised_date"
    unknown = call(client, "POST", path, keys["jansen"], json={"intent": "maybe"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "intent"
    done = call(client, "POST", path, keys["jansen"], json={"intent": "promise_to_pay", "promised_date": "2027-02-15",
                                                             "note": "agreed by phone"})
    assert done.status_code == 200, done.text
    assert done.json()["event"]["data"]["action"] == "correct_intent"
    assert done.json()["invoice"]["status"] == "open"  # back on the ladder, held by the promise
    explained = call(client, "GET", f"/invoices/{ids['jansen']['invoice']}/explain", keys["jansen"]).json()
    assert "2027-02-15" in " ".join(explained["reasons"])
    kinds = [e["kind"] for e in call(client, "GET", f"/invoices/{ids['jansen']['invoice']}",
                                     keys["jansen"]).json()["timeline"]]
    assert kinds[-2:] == ["ReviewDecided", "PromiseToPayRecorded"]
    assert call(client, "POST", path, keys["jansen"], json={"intent": "other"}).status_code == 409


def _report(client, business: str, ids, amount: str | None) -> int:
    container = client.app.state.container
    with container.sessions.begin() as session:
        invoice = session.get_one(Invoice, ids[business]["invoice"])
        report_payment(session, session.get_one(Business, invoice.business_id), invoice,
                       amount=None if amount is None else Decimal(amount), reported_on=NOW.date(), source="reply",
                       sender="ap@klant.example", inbound_id=None, matched_by="reply_token", now=NOW)
        session.flush()
        return session.scalars(select(TimelineEvent.id).where(TimelineEvent.kind == "PaymentReported")
                               .order_by(TimelineEvent.id.desc())).first()


def test_confirm_and_reject_reported_payments(api):
    client, keys, ids = api
    confirmed, rejected = _report(client, "jansen", ids, "21.00"), _report(client, "jansen", ids, None)
    theirs = _report(client, "acme", ids, "21.00")
    notices = {n["id"]: n for n in call(client, "GET", "/review", keys["jansen"]).json()["notices"]}
    assert notices[confirmed]["item"] == "reported_payment"
    assert notices[confirmed]["actions"] == ["confirm", "reject", "dismiss"]
    assert call(client, "POST", f"/review/payments/{theirs}/confirm", keys["jansen"], json={}).status_code == 404
    nameless = call(client, "POST", f"/review/payments/{rejected}/confirm", keys["jansen"], json={})
    assert nameless.status_code == 422 and nameless.json()["field"] == "amount"
    done = call(client, "POST", f"/review/payments/{confirmed}/confirm", keys["jansen"], json={})
    assert done.status_code == 200, done.text
    assert done.json()["invoice"]["amount_paid"] == "21.00"
    payments = call(client, "GET", f"/invoices/{ids['jansen']['invoice']}/payments", keys["jansen"]).json()
    assert payments[0]["who"].startswith("api key ")
    assert call(client, "POST", f"/review/payments/{confirmed}/reject", keys["jansen"], json={}).status_code == 409
    refused = call(client, "POST", f"/review/payments/{rejected}/reject", keys["jansen"], json={"note": "not on bank"})
    assert refused.status_code == 200 and refused.json()["invoice"]["amount_paid"] == "21.00"
    left = {n["id"] for n in call(client, "GET", "/review", keys["jansen"]).json()["notices"]}
    assert not left & {confirmed, rejected}
    with client.app.state.container.sessions.begin() as session:  # the rejected claim holds the ladder no more
        held_by = events_for(session, [ids["jansen"]["invoice"]])[ids["jansen"]["invoice"]].reported
    assert [r["amount"] for r in held_by] == ["21.00"]


def test_mark_a_message_not_ours(api):
    client, keys, ids = api
    path = f"/review/messages/{ids['jansen']['message']}/not-ours"
    assert call(client, "POST", path, keys["acme"], json={}).status_code == 404
    done = call(client, "POST", path, keys["jansen"], json={"note": "spam"})
    assert done.status_code == 200 and done.json()["event"]["data"]["action"] == "not_ours"
    assert call(client, "GET", "/review", keys["jansen"]).json()["quarantined"] == []
    assert call(client, "POST", f"/review/messages/{ids['jansen']['message']}/assign", keys["jansen"],
                json={"invoice_id": ids["jansen"]["invoice"]}).status_code == 409


def test_a_crash_answers_500_in_the_one_shape_without_internals(api):
    client, _, _ = api

    def boom() -> None:
        raise RuntimeError("password=hunter2 in /srv/secret.py")

    client.app.add_api_route("/boom", boom)
    answer = TestClient(client.app, raise_server_exceptions=False).get("/boom")
    assert answer.status_code == 500
    assert answer.json()["error"] == "internal_error" and answer.json()["field"] is None
    assert "hunter2" not in answer.text and "Traceback" not in answer.text
