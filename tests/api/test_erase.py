"""Erasing a debtor (GDPR art. 17) through the API, on both databases: what is gone, what is kept, who did it,
and that nobody else's debtor can be erased."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.e2e.harness import MovableClock
from worker.api.app import create_app
from worker.composition import build_container
from worker.config import Settings
from worker.db.migrate import upgrade
from worker.db.models import (
    Debtor,
    InboundMessage,
    Invoice,
    NoticeItem,
    OutboundDelivery,
    OutboundInvoice,
    OutboundMessage,
    Payment,
    TimelineEvent,
)
from worker.domain.events import EventKind
from worker.usecases.api_keys import issue_key
from worker.usecases.businesses import create_business
from worker.usecases.timeline import record_event

NOW = datetime(2027, 3, 15, 9, tzinfo=UTC)
ANNA = ("Anna de Vries", "anna@devries.example", "info@devries.example", "Kerkstraat 1\n3511 AB Utrecht")
INVOICE_MAIL = b"From: billing@jansen.example\r\nSubject: Factuur F-1\r\n\r\nFactuur F-1 aan Anna de Vries\r\n"


def _message(session, business, key, sender, raw, status="processed", received=NOW):
    message = InboundMessage(message_key=key, business_id=business.id, raw=raw, from_address=sender,
                             subject="Re: Herinnering F-1", status=status, received_at=received, kind="reply")
    session.add(message)
    session.flush()
    return message


@pytest.fixture
def erase(any_database_url, tmp_path):
    container = build_container(Settings(data_dir=tmp_path, database_url=any_database_url, letter_format="docx"))
    container.clock = MovableClock(NOW)
    upgrade(container.engine)
    keys, ids = {}, {}
    with container.sessions.begin() as session:
        jansen, _ = create_business(session, name="jansen", senders=["billing@jansen.example"],
                                    from_address="billing@jansen.example", iban=None, now=NOW)
        keys["jansen"] = issue_key(session, jansen.id, label="Petra (debiteurenbeheer)", now=NOW)[1]
        acme, keys["acme"] = create_business(session, name="acme", senders=["billing@acme.example"],
                                             from_address="billing@acme.example", iban=None, now=NOW)
        name, email, general, address = ANNA
        anna = Debtor(business_id=jansen.id, name=name, contact_name=name, contact_email=email,
                      general_email=general, address=address, created_at=NOW, email_consent=True)
        session.add(anna)
        session.flush()
        source = _message(session, jansen, "<invoice-f1@jansen.example>", "billing@jansen.example", INVOICE_MAIL,
                          received=NOW - timedelta(days=60))
        invoices = {}
        for number, status in (("F-1", "paid"), ("F-2", "open")):
            invoices[number] = Invoice(
                business_id=jansen.id, debtor_id=anna.id, number=number, issue_date=date(2027, 1, 10),
                due_date=date(2027, 2, 9), currency="EUR", amount_due=Decimal("100.00"),
                amount_paid=Decimal("100.00" if status == "paid" else "0"), status=status,
                reply_token=f"tok-{number}", created_at=NOW, source_message_id=source.id,
                parsed={"invoice_number": number, "amount_due": "100.00",
                        "seller": {"name": "Bakkerij Jansen", "email": "billing@jansen.example"},
                        "buyer": {"name": name, "email": email, "address": address, "vat_number": None}})
            session.add(invoices[number])
        session.flush()
        session.add(Payment(business_id=jansen.id, invoice_id=invoices["F-1"].id, kind="payment",
                            amount=Decimal("100.00"), credit=Decimal(0), paid_on=date(2027, 3, 1), source="api",
                            who="api", created_at=NOW))
        reply = _message(session, jansen, "<reply-1@devries.example>", email,
                         b"From: anna@devries.example\r\n\r\nIk betaal volgende week. Anna de Vries, Kerkstraat 1")
        stray = _message(session, jansen, "<stray@devries.example>", general, b"From: info@devries.example\r\n\r\nHoi",
                         status="quarantined")
        record_event(session, EventKind.REPLY_RECEIVED, at=NOW, business_id=jansen.id,
                     invoice_id=invoices["F-1"].id, debtor_id=anna.id, inbound_message_id=reply.id,
                     intent="promise", excerpt="Ik betaal volgende week. Anna de Vries", confidence=0.9)
        record_event(session, EventKind.DEBTOR_UPDATED, at=NOW, business_id=jansen.id, debtor_id=anna.id,
                     changes={"contact_email": "anna.oud@devries.example"})
        sent = OutboundMessage(business_id=jansen.id, debtor_id=anna.id, invoice_id=invoices["F-1"].id,
                               step="reminder_1", message_id="<r1@dunning.example>", to_addresses=[email],
                               cc_addresses=[general], subject="Herinnering F-1 voor Anna de Vries",
                               raw=b"Beste Anna de Vries, Kerkstraat 1 ...", status="sent", created_at=NOW,
                               sent_at=NOW, rendered_at=NOW)
        waiting = OutboundMessage(business_id=jansen.id, debtor_id=anna.id, invoice_id=invoices["F-1"].id,
                                  step="thank_you", message_id="<t1@dunning.example>", to_addresses=[email],
                                  subject="", raw=b"", status="pending", created_at=NOW,
                                  render_context={"debtor_name": name})
        session.add_all([sent, waiting])
        session.flush()
        session.add_all([OutboundInvoice(outbound_message_id=sent.id, invoice_id=invoices["F-1"].id,
                                         step="reminder_1"),
                         OutboundDelivery(outbound_message_id=sent.id, recipient=email, role="to",
                                          status="accepted", code=250, reply="250 OK queued for anna", at=NOW),
                         NoticeItem(business_id=jansen.id, kind="reply", key="reply-1",
                                    payload={"from": email, "summary": "Anna de Vries belooft te betalen"},
                                    invoice_id=invoices["F-1"].id, created_at=NOW)])
        other = Debtor(business_id=acme.id, name="Ander", contact_email="ap@ander.example", created_at=NOW)
        session.add(other)
        session.flush()
        ids.update(anna=anna.id, other=other.id, source=source.id, reply=reply.id, stray=stray.id, sent=sent.id,
                   waiting=waiting.id, **{n: i.id for n, i in invoices.items()})
    client = TestClient(create_app(container))
    yield client, keys, ids, container.sessions
    container.engine.dispose()


def post(client, key, debtor_id, body):
    return client.post(f"/debtors/{debtor_id}/erase", headers={"X-API-Key": key}, json=body)


def test_a_debtor_who_still_owes_is_not_erased(erase):
    client, keys, ids, sessions = erase
    refused = post(client, keys["jansen"], ids["anna"], {"confirm": True})
    assert refused.status_code == 409 and "F-2" in refused.text and "17(3)(e)" in refused.text
    with sessions() as session:
        assert session.get(Debtor, ids["anna"]).name == "Anna de Vries"


def test_erasure_removes_the_personal_data_and_keeps_the_invoices(erase):
    client, keys, ids, sessions = erase
    paid = client.post(f"/invoices/{ids['F-2']}/payments", headers={"X-API-Key": keys["jansen"]},
                       json={"amount": "100.00", "paid_on": "2027-03-14"})
    assert paid.status_code in (200, 201), paid.text
    answer = post(client, keys["jansen"], ids["anna"], {"confirm": True, "reason": "verzoek per e-mail"})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["debtor"]["name"] == f"Erased debtor {ids['anna']}"
    assert body["debtor"]["contact_email"] == f"erased-{ids['anna']}@erased.invalid"
    assert (body["debtor"]["contact_name"], body["debtor"]["general_email"], body["debtor"]["address"]) == (
        None, None, None)
    assert body["counts"] == {"invoices": 2, "inbound_messages": 2, "outbound_messages": 2, "timeline_events": 3,
                              "notices": 1}
    with sessions() as session:
        everything = " ".join(repr(row.__dict__) for model in (Debtor, InboundMessage, OutboundMessage,
                                                               OutboundDelivery, TimelineEvent, NoticeItem)
                              for row in session.scalars(select(model)) if model is not InboundMessage
                              or row.id != ids["source"])
        everything += " ".join(repr(i.parsed) for i in session.scalars(select(Invoice)))
        for gone in ("Anna", "devries", "Kerkstraat", "Utrecht", "volgende week"):
            assert gone.lower() not in everything.lower(), gone
        # kept: the invoices, the e-mail they arrived in, the payments
        assert session.get(InboundMessage, ids["source"]).raw == INVOICE_MAIL
        invoice = session.get(Invoice, ids["F-1"])
        assert (invoice.number, invoice.amount_due, invoice.status) == ("F-1", Decimal("100.00"), "paid")
        assert invoice.parsed["invoice_number"] == "F-1" and invoice.parsed["seller"]["name"] == "Bakkerij Jansen"
        assert len(session.scalars(select(Payment)).all()) == 2
        reply, stray = session.get(InboundMessage, ids["reply"]), session.get(InboundMessage, ids["stray"])
        assert (reply.raw, reply.subject, stray.raw) == (b"", None, b"") and reply.raw_purged_at is not None
        assert stray.status == "processed"  # out of the review queue: nothing left in it to read or assign
        sent, waiting = session.get(OutboundMessage, ids["sent"]), session.get(OutboundMessage, ids["waiting"])
        assert (sent.status, sent.raw, sent.to_addresses) == ("sent", b"", [f"erased-{ids['anna']}@erased.invalid"])
        assert (waiting.status, waiting.render_context) == ("cancelled", None)
    # later reads show the pseudonym, and the erasure with who did it is on the timeline
    detail = client.get(f"/invoices/{ids['F-1']}", headers={"X-API-Key": keys["jansen"]}).json()
    assert detail["parsed"]["buyer"]["name"] == f"Erased debtor {ids['anna']}"
    erased = [e for e in detail["timeline"] if e["kind"] == "DebtorErased"]
    assert [(e["data"]["who"], e["data"]["reason"]) for e in erased] == [
        ("api key Petra (debiteurenbeheer)", "verzoek per e-mail")]
    assert [e["data"].get("intent") for e in detail["timeline"] if e["kind"] == "ReplyReceived"] == ["promise"]
    listed = client.get("/debtors", headers={"X-API-Key": keys["jansen"]}).json()
    assert [d["name"] for d in listed] == [f"Erased debtor {ids['anna']}"]
    again = post(client, keys["jansen"], ids["anna"], {"confirm": True})
    assert again.status_code == 409 and "erased on 2027-03-15" in again.text


def test_another_business_cannot_erase(erase):
    client, keys, ids, sessions = erase
    for debtor_id in (ids["anna"], 999_999, 0, 2**40):
        assert post(client, keys["acme"], debtor_id, {"confirm": True}).status_code == 404
    assert post(client, keys["jansen"], ids["other"], {"confirm": True}).status_code == 404
    assert client.post(f"/debtors/{ids['anna']}/erase", json={"confirm": True}).status_code == 401
    with sessions() as session:
        assert session.get(Debtor, ids["anna"]).erased_at is None
        assert session.get(Debtor, ids["other"]).name == "Ander"


@pytest.mark.parametrize("body, field", [({}, "confirm"), ({"confirm": False}, "confirm"),
                                         ({"confirm": "yes"}, "confirm"), ({"confirm": True, "reason": "x" * 501},
                                                                            "reason"),
                                         ({"confirm": True, "everything": True}, "everything")])
def test_bad_input_names_the_field(erase, body, field):
    client, keys, ids, _ = erase
    answer = post(client, keys["jansen"], ids["anna"], body)
    assert answer.status_code == 422 and field in answer.text, answer.text


def test_openapi_documents_the_erasure(erase):
    client, _, _, _ = erase
    operation = client.get("/openapi.json").json()["paths"]["/debtors/{debtor_id}/erase"]["post"]
    assert operation["summary"] and "art. 17" in operation["description"] and "409" in operation["responses"]
