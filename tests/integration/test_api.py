"""The finance API on a real database: isolation, payments, resume, debtors, explain, ageing, review."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import Debtor, Invoice
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)


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
            for number, due, amount in (("F-1", date(2027, 1, 12), "121.00"), ("F-2", date(2026, 10, 1), "50.00"),
                                        ("F-3", date(2027, 3, 1), "10.00")):
                invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number=number,
                                  issue_date=date(2026, 9, 1), due_date=due, currency="EUR",
                                  amount_due=Decimal(amount), amount_paid=Decimal(0), status="open",
                                  reply_token=f"{name}{number}".lower(), parsed={}, created_at=NOW)
                session.add(invoice)
                session.flush()
                ids[(name, number)] = invoice.id
            ids[(name, "debtor")] = debtor.id
    client = TestClient(create_app(container))
    yield client, keys, ids
    container.engine.dispose()


def call(client, method, path, key, **kw):
    return client.request(method, path, headers={"X-API-Key": key}, **kw)


def test_each_business_sees_only_its_own(api):
    client, keys, ids = api
    assert [i["number"] for i in call(client, "GET", "/invoices", keys["jansen"]).json()] == ["F-1", "F-2", "F-3"]
    other = ids[("acme", "F-1")]
    for method, path in (("GET", f"/invoices/{other}"), ("GET", f"/invoices/{other}/explain"),
                         ("POST", f"/invoices/{other}/resume")):
        assert call(client, method, path, keys["jansen"], json={}).status_code == 404
    assert call(client, "PUT", f"/debtors/{ids[('acme', 'debtor')]}", keys["jansen"], json={}).status_code == 404
    assert client.get("/invoices").status_code == 401


def test_part_then_full_payment(api):
    client, keys, ids = api
    invoice = ids[("jansen", "F-1")]
    part = call(client, "POST", f"/invoices/{invoice}/payments", keys["jansen"], json={"amount": "21.00"}).json()
    assert (part["status"], part["amount_paid"]) == ("open", "21.00")
    paid = call(client, "POST", f"/invoices/{invoice}/payments", keys["jansen"], json={"amount": "100.00"}).json()
    assert paid["status"] == "paid"
    timeline = call(client, "GET", f"/invoices/{invoice}", keys["jansen"]).json()["timeline"]
    assert [(e["kind"], e["data"]["remaining"]) for e in timeline] == [
        ("PaymentRecorded", "100.00"), ("PaymentRecorded", "0.00")]
    assert call(client, "POST", f"/invoices/{invoice}/payments", keys["jansen"],
                json={"amount": "-1"}).status_code == 422
    assert call(client, "GET", "/invoices?status=paid", keys["jansen"]).json()[0]["number"] == "F-1"


def test_resume_only_from_a_pause(api):
    client, keys, ids = api
    invoice = ids[("jansen", "F-1")]
    refused = call(client, "POST", f"/invoices/{invoice}/resume", keys["jansen"], json={"note": "x"})
    assert refused.status_code == 409 and "only paused" in refused.json()["message"]


def test_debtor_general_address_and_consumer_flag(api):
    client, keys, ids = api
    debtor = ids[("jansen", "debtor")]
    changed = call(client, "PUT", f"/debtors/{debtor}", keys["jansen"],
                   json={"general_email": "Info@Klant.example", "is_consumer": True}).json()
    assert (changed["general_email"], changed["is_consumer"]) == ("info@klant.example", True)
    assert call(client, "PUT", f"/debtors/{debtor}", keys["jansen"],
                json={"general_email": "not-an-address"}).status_code == 422


def test_explain_says_what_happens_next(api):
    client, keys, ids = api
    found = call(client, "GET", f"/invoices/{ids[('jansen', 'F-3')]}/explain", keys["jansen"]).json()
    # F-3 (due 1 March) has had nothing yet and its arrival check is due, but the tick sends one message per
    # debtor: the letter about the debtor's overdue invoice goes now, so the check follows after the minimum
    # gap, when the window opens on Monday 8 February (as the tick would send it)
    assert found["next_step"] == "arrival_check" and found["next_at"] == "2027-02-08T08:00:00+01:00"
    assert found["reasons"][-1].startswith("Held: ") and found["summary"] == (
        "Nothing goes out for this invoice now: the reminder about the debtor's other invoices goes to this debtor "
        "now (one message at a time), so the arrival check follows on Monday 8 February 2027 at 08:00 at the "
        "earliest.")
    states = {step["name"]: (step["on"], step["state"]) for step in found["steps"]}
    assert states["arrival_check"][1] == "held"
    # as_of asks about another moment, with what the database holds now: no tick has sent the debtor's
    # reminder yet, so on 8 February it would still go first, and the check would wait again
    later = call(client, "GET", f"/invoices/{ids[('jansen', 'F-3')]}/explain?as_of=2027-02-08", keys["jansen"]).json()
    assert later["as_of"] == "2027-02-08T10:00:00+01:00"
    assert later["summary"].startswith("Nothing goes out for this invoice now: the reminder about the debtor's")
    bad = call(client, "GET", f"/invoices/{ids[('jansen', 'F-3')]}/explain?as_of=next+week", keys["jansen"])
    assert bad.status_code == 422 and "2027-01-18" in bad.json()["message"]
    assert states["courtesy"] == ("2027-02-26", "planned")


def test_ageing_buckets(api):
    client, keys, _ = api
    report = call(client, "GET", "/reports/ageing", keys["jansen"]).json()
    eur = report["currencies"]["EUR"]
    assert report["as_of"] == "2027-02-01"
    assert eur["not_due"] == {"amount": "10.00", "invoices": 1}
    assert eur["1-30"] == {"amount": "121.00", "invoices": 1}
    assert eur["90+"] == {"amount": "50.00", "invoices": 1}


def test_openapi_documents_every_endpoint(api):
    client, _, _ = api
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/invoices", "/invoices/{invoice_id}", "/invoices/{invoice_id}/payments", "/invoices/{invoice_id}/explain",
            "/debtors/{debtor_id}", "/review", "/reports/ageing"} <= set(paths)


def test_offline_debtor_letters_go_to_the_print_queue(api):
    client, keys, ids = api
    from worker.usecases.tick import run_tick

    container = client.app.state.container
    debtor = ids[("jansen", "debtor")]
    call(client, "PUT", f"/debtors/{debtor}", keys["jansen"], json={"offline": True})
    enqueued: list[int] = []
    report = run_tick(container.sessions, NOW, container.letter_settings(), lambda oid, _a: enqueued.append(oid))
    queue = call(client, "GET", "/print-queue", keys["jansen"]).json()
    mine = [q for q in queue if q["debtor_id"] == debtor]
    assert len(mine) == 1 and mine[0]["id"] not in enqueued  # paper is never e-mailed
    assert report.recorded == enqueued
    letter = call(client, "GET", f"/print-queue/{mine[0]['id']}/file", keys["jansen"])
    assert letter.status_code == 200 and letter.content[:2] == b"PK"  # the .docx (no LibreOffice asked for here)
    assert call(client, "GET", f"/print-queue/{mine[0]['id']}/file", keys["acme"]).status_code == 404
    assert call(client, "POST", f"/print-queue/{mine[0]['id']}/posted", keys["jansen"]).status_code == 200
    assert all(q["id"] != mine[0]["id"] for q in call(client, "GET", "/print-queue", keys["jansen"]).json())
    kinds = [e["kind"] for e in call(client, "GET", f"/invoices/{ids[('jansen', 'F-1')]}", keys["jansen"]).json()
             ["timeline"]]
    assert kinds[-2:] == ["ReminderRecorded", "LetterPosted"]


def test_business_settings(api):
    client, keys, _ = api
    changed = call(client, "PATCH", "/business", keys["jansen"],
                   json={"thank_you": False, "iban": "NL91 ABNA 0417 1643 00", "country": "BE"}).json()
    assert changed["settings"]["thank_you"] is False and changed["settings"]["country"] == "BE"
    assert changed["iban"] == "NL91ABNA0417164300"
    assert call(client, "PATCH", "/business", keys["jansen"], json={"iban": "NL00BANK0000000000"}).status_code == 422
    assert call(client, "GET", "/business", keys["acme"]).json()["settings"] == {}


def test_debtor_behaviour_score_and_ladder(api):
    client, keys, ids = api
    debtor = ids[("jansen", "debtor")]
    found = call(client, "GET", f"/debtors/{debtor}/behaviour", keys["jansen"]).json()
    # three invoices, two already due and unpaid (one 123 days late): a late payer, scored low
    assert found["invoices"] == 2 and found["segment"] == "new" and found["score"] < 60
    assert [s["step"] for s in found["ladder"]][:2] == ["arrival_check", "courtesy"]
    call(client, "PUT", f"/debtors/{debtor}", keys["jansen"], json={"is_consumer": True})
    consumer = call(client, "GET", f"/debtors/{debtor}/behaviour", keys["jansen"]).json()
    assert "fourteen_day_letter" in [s["step"] for s in consumer["ladder"]]
    call(client, "PATCH", "/business", keys["jansen"], json={"charge_costs": False})
    no_costs = call(client, "GET", f"/debtors/{debtor}/behaviour", keys["jansen"]).json()
    assert "fourteen_day_letter" not in [s["step"] for s in no_costs["ladder"]]
