"""The walking-skeleton story: BCC'd invoices become reminders; a reply pauses; silence escalates."""

from datetime import date, datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from tests.factories.mail import invoice_mail, reply_mail
from worker.db.models import OutboundMessage

pytestmark = pytest.mark.integration
AMS = ZoneInfo("Europe/Amsterdam")


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=10), AMS)


def parsed(raw: bytes):
    return message_from_bytes(raw, policy=policy.default)


def test_invoices_become_reminders_replies_pause_and_silence_escalates(service, smtp_server):
    service.container.settings.letter_format = "pdf"  # the letter really is a PDF here
    jansen = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    acme = service.add_business("Acme Consulting", ["@acme.example"], "invoices@acme.example", language="en")
    issue, due = date(2026, 12, 13), date(2027, 1, 12)
    jansen_in, acme_in = service.ingest_address("Bakkerij Jansen"), service.ingest_address("Acme Consulting")
    service.append(invoice_mail(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example",
                                to="inkoop@klant-een.example", bcc=jansen_in, number="2027-0001",
                                issue=issue, due=due, amount="1210.00", buyer_name="Klant Een B.V."))
    service.append(invoice_mail(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example",
                                to="piet@klant-twee.example", bcc=jansen_in, number="2027-0002",
                                issue=issue, due=due, amount="484.00", buyer_name="Klant Twee"))
    service.append(invoice_mail(seller_name="Acme Consulting", seller_email="invoices@acme.example",
                                to="jane@customer-three.example", bcc=acme_in, number="INV-7001",
                                issue=issue, due=due, amount="2450.00", buyer_name="Customer Three Ltd",
                                general_email="info@customer-three.example", language="en"))
    outcomes = service.ingest().outcomes
    assert [o.status for o in outcomes] == ["processed"] * 3, outcomes
    assert service.folder_count("Processed") == 3 and service.folder_count("INBOX") == 0

    # Every invoice visible through the API, each business seeing only its own.
    mine = service.get("/invoices", jansen).json()
    assert [(i["number"], i["amount_due"], i["due_date"], i["debtor"]["contact_email"]) for i in mine] == [
        ("2027-0001", "1210.00", "2027-01-12", "inkoop@klant-een.example"),
        ("2027-0002", "484.00", "2027-01-12", "piet@klant-twee.example"),
    ]
    theirs = service.get("/invoices", acme).json()
    assert [(i["number"], i["amount_due"], i["debtor"]["general_email"]) for i in theirs] == [
        ("INV-7001", "2450.00", "info@customer-three.example")]
    assert service.get(f"/invoices/{theirs[0]['id']}", jansen).status_code == 404
    assert service.get("/invoices", "wrong-key").status_code == 401

    # Past due: exactly one reminder per invoice, correctly addressed, with the letter attached.
    assert len(service.tick(at("2027-01-14")).recorded) == 3
    service.work()
    assert service.tick(at("2027-01-14")).recorded == []  # deciding again adds nothing
    service.work()
    first = smtp_server.wait_for(3)
    assert len(first) == 3
    by_to = {str(parsed(m.raw)["To"]): parsed(m.raw) for m in first}
    one = by_to["inkoop@klant-een.example"]
    assert one["From"].addresses[0].addr_spec == "billing@jansen.example"
    reply_to = one["Reply-To"].addresses[0].addr_spec
    assert reply_to.startswith("svc") and "+" in reply_to and reply_to.endswith("@example.test")
    assert one["Message-ID"].endswith("@dunning.test>")
    attachments = [p for p in one.iter_attachments()]
    assert [a.get_content_type() for a in attachments] == ["application/pdf"]
    assert attachments[0].get_content().startswith(b"%PDF")
    assert "2027-0001" in one.get_body(("plain",)).get_content()

    # A reply saying "paid" is a claim: it holds the ladder; an out-of-office to another changes nothing.
    two = by_to["piet@klant-twee.example"]
    service.append(reply_mail(sender="inkoop@klant-een.example", to=reply_to, in_reply_to=one["Message-ID"],
                              subject="Re: " + one["Subject"], body="We hebben dit vorige week betaald, zie bijlage."))
    service.append(reply_mail(sender="piet@klant-twee.example", to=two["Reply-To"].addresses[0].addr_spec,
                              in_reply_to=two["Message-ID"], subject="Afwezig: " + two["Subject"],
                              body="Ik ben afwezig tot 1 februari.", headers={"Auto-Submitted": "auto-replied"}))
    kinds = [(o.status, o.kind) for o in service.ingest().outcomes]
    assert kinds == [("processed", "reply"), ("processed", "auto_reply")]
    statuses = {i["number"]: i["status"] for i in service.get("/invoices", jansen).json()}
    assert statuses == {"2027-0001": "open", "2027-0002": "open"}
    paid_id = next(i["id"] for i in mine if i["number"] == "2027-0001")
    detail = service.get(f"/invoices/{paid_id}", jansen).json()
    assert [e["kind"] for e in detail["timeline"]] == [
        "InvoiceReceived", "ReminderRecorded", "ReminderSent", "ReplyReceived", "PaymentReported"]
    assert detail["amount_paid"] == "0.00"  # nothing booked on the debtor's word
    # Finance sees the money on the bank statement and books it; the ladder ends for this invoice.
    booked = service.api.post(f"/invoices/{paid_id}/payments", headers={"X-API-Key": jansen},
                              json={"amount": "1210.00", "paid_on": "2027-01-14"})
    assert (booked.status_code, booked.json()["status"]) == (200, "paid")

    # Silence escalates: the firm reminder, then the last one to the general address with the contact in CC.
    smtp_server.clear()
    recorded = service.tick(at("2027-01-26")).recorded
    with service.container.sessions.begin() as session:
        steps = sorted((o.step, o.to_addresses[0]) for o in session.scalars(
            select(OutboundMessage).where(OutboundMessage.id.in_(recorded))))
    assert steps == [("firm_reminder", "jane@customer-three.example"), ("firm_reminder", "piet@klant-twee.example"),
                     ("thank_you", "inkoop@klant-een.example")]  # it was paid before the due date
    service.work()  # sent that day: a reminder still waiting when the next step is recorded is superseded
    service.tick(at("2027-02-09"))  # 14 days after the firm reminder: the last one
    service.work()
    later = [parsed(m.raw) for m in smtp_server.wait_for(6)]
    assert sorted((str(m["To"]), str(m.get("Cc", ""))) for m in later) == sorted([
        ("piet@klant-twee.example", ""), ("jane@customer-three.example", ""),
        ("piet@klant-twee.example", ""),  # no general address known: the contact, and the business is told
        ("billing@jansen.example", ""),
        ("info@customer-three.example", "jane@customer-three.example"),
        ("inkoop@klant-een.example", ""),  # the thank-you, and nothing more
    ])
    notices = service.get("/review", jansen).json()["notices"]
    assert [n["kind"] for n in notices] == ["GeneralAddressMissing"]
    assert "PUT /debtors/" in notices[0]["data"]["message"]
