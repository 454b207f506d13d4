"""What comes back, end to end over real IMAP and SMTP: a promise holds the ladder, a bounce re-routes to the
general address, a dispute stops it, remittance advice lowers what is asked."""

from datetime import date, datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from tests.factories.mail import invoice_mail, reply_mail

pytestmark = pytest.mark.integration
AMS = ZoneInfo("Europe/Amsterdam")
SELLER = dict(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example")
CUSTOMERS = {  # number: (contact, general address, amount)
    "2027-0301": ("anna@alfa.example", None, "121.00"),
    "2027-0302": ("bert@beta.example", "info@beta.example", "242.00"),
    "2027-0303": ("carla@gamma.example", None, "363.00"),
    "2027-0304": ("dirk@delta.example", None, "500.00"),
}


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=10), AMS)


def bounce_for(failed: str, to: str, original_id: str) -> bytes:
    """A Postfix-style RFC 3464 delivery status notification, returning the original's headers as MTAs do."""
    return f"""From: MAILER-DAEMON@mx.beta.example (Mail Delivery System)
To: {to}
Subject: Undelivered Mail Returned to Sender
Auto-Submitted: auto-replied
Message-ID: <bounce-{failed}@mx.beta.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B"

--B
Content-Type: text/plain

I'm sorry to have to inform you that your message could not be delivered.

<{failed}>: host mx.beta.example said: 550 5.1.1 User unknown

--B
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.beta.example

Final-Recipient: rfc822; {failed}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 User unknown

--B
Content-Type: text/rfc822-headers

From: billing@jansen.example
To: {failed}
Message-ID: {original_id}
Subject: Herinnering

--B--
""".replace("\n", "\r\n").encode()


def test_what_comes_back_changes_what_goes_out(service, smtp_server):
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    for number, (contact, general, amount) in CUSTOMERS.items():
        service.append(invoice_mail(**SELLER, to=contact, bcc=service.ingest_address("Bakkerij Jansen"), number=number,
                                    issue=date(2026, 12, 13), due=date(2027, 1, 12), amount=amount,
                                    buyer_name=contact.split("@")[1], general_email=general))
    assert [o.status for o in service.ingest().outcomes] == ["processed"] * 4
    assert len(service.tick(at("2027-01-14")).recorded) == 4
    service.work()
    reminders = {str(m["To"]): m for m in (message_from_bytes(r.raw, policy=policy.default)
                                           for r in smtp_server.wait_for(4))}

    def answer(contact: str, body: str) -> bytes:
        sent = reminders[contact]
        return reply_mail(sender=contact, to=sent["Reply-To"].addresses[0].addr_spec, in_reply_to=sent["Message-ID"],
                          subject="Re: " + sent["Subject"], body=body)

    service.append(answer("anna@alfa.example", "Beste,\n\nWij betalen de factuur op 10 februari 2027.\n\nGroet, Anna"))
    service.append(bounce_for("bert@beta.example", service.account.address,
                              reminders["bert@beta.example"]["Message-ID"]))
    service.append(answer("carla@gamma.example", "Wij betwisten deze factuur: de levering was niet compleet."))
    # Remittance advice in reply to the reminder: a claim of payment, reported, not booked as money.
    service.append(reply_mail(sender="crediteuren@delta.example",
                              to=reminders["dirk@delta.example"]["Reply-To"].addresses[0].addr_spec,
                              in_reply_to=reminders["dirk@delta.example"]["Message-ID"],
                              subject="Betalingsadvies", body="Betalingsadvies\n\nFactuurnummer   Bedrag\n"
                              "2027-0304       200,00\n\nTotaal betaald: 200,00"))
    outcomes = service.ingest().outcomes
    assert [(o.status, o.kind) for o in outcomes] == [
        ("processed", "reply"), ("processed", "bounce"), ("processed", "reply"), ("processed", "remittance")]

    invoices = {i["number"]: i for i in service.get("/invoices", key).json()}
    assert invoices["2027-0301"]["status"] == "open"  # a promise holds the ladder, it does not pause it
    assert invoices["2027-0303"]["status"] == "disputed"
    delta_invoice = invoices["2027-0304"]
    assert (delta_invoice["status"], delta_invoice["amount_paid"]) == ("open", "0.00")  # reported, not money
    timeline = service.get(f"/invoices/{delta_invoice['id']}", key).json()["timeline"]
    reported = [e["data"] for e in timeline if e["kind"] == "PaymentReported"]
    assert [(r["amount"], r["source"]) for r in reported] == [("200.00", "remittance advice")]
    # The business sees the money on its bank statement and books it: from now on only the rest is asked.
    booked = service.api.post(f"/invoices/{delta_invoice['id']}/payments", headers={"X-API-Key": key},
                              json={"amount": "200.00", "paid_on": "2027-01-14"})
    assert booked.status_code == 200, booked.text
    beta = invoices["2027-0302"]["debtor"]
    assert beta["contact_undeliverable"] is True
    explained = service.get(f"/invoices/{invoices['2027-0301']['id']}/explain", key).json()
    assert any("promise" in reason.lower() for reason in explained["reasons"])

    smtp_server.clear()
    service.tick(at("2027-01-26"))  # the firm reminder's day
    service.work()
    firm = {tuple(r.rcpt_tos): message_from_bytes(r.raw, policy=policy.default) for r in smtp_server.wait_for(3)}
    # the bounced contact is skipped for the general address; the promise and the dispute get nothing;
    # and the business is told, once, that its contact at Beta is unreachable
    assert set(firm) == {("info@beta.example",), ("dirk@delta.example",), ("billing@jansen.example",)}
    assert "bert@beta.example" in firm[("billing@jansen.example",)].get_body(("plain",)).get_content()
    delta = firm[("dirk@delta.example",)].get_body(("plain",)).get_content()
    assert "300,00" in delta and "500,00" not in delta.split("Totaal")[-1]  # asks for what remains
