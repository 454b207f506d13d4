"""The trust boundary through the running service (real Dovecot, real SMTP): forged mail creates nothing and
sends nothing, proven mail is accepted, a message belongs to one business, and a debtor's or stranger's claim
of payment is never booked as money."""

from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest

from tests.factories.mail import invoice_mail, reply_mail
from worker.usecases.businesses import find_business, rotate_ingest_address

pytestmark = pytest.mark.integration
AMS = ZoneInfo("Europe/Amsterdam")
TRUSTED = "mx.trusted.test"  # the authserv-id of "our" receiving MTA in these stories
JANSEN = dict(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example")
REMITTANCE = "Betalingsadvies\n\nFactuurnummer   Bedrag\n2027-0500       200,00\n\nTotaal betaald: 200,00"


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=10), AMS)


def with_headers(raw: bytes, *lines: str) -> bytes:
    """Headers as a receiving MTA prepends them (topmost first)."""
    return "".join(f"{line}\r\n" for line in lines).encode() + raw


def invoice(bcc: str, number: str, to: str = "victim@stranger.example", **seller) -> bytes:
    return invoice_mail(**(seller or JANSEN), to=to, bcc=bcc, number=number, issue=date(2026, 12, 13),
                        due=date(2027, 1, 12), amount="9999.00", buyer_name="Slachtoffer B.V.")


@pytest.fixture
def trusted(service):
    service.container.settings.authserv_id = TRUSTED
    return service


def reasons(service, key) -> list[str]:
    return [m["reason"] for m in service.get("/review", key).json()["quarantined"]]


def sent_to(smtp_server) -> list[tuple[str, ...]]:
    return [tuple(m.rcpt_tos) for m in smtp_server.messages]


def test_forged_invoice_mail_creates_no_invoice_and_no_letter(trusted, smtp_server):
    service = trusted
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    plain = service.account.address  # the service's public address, not the business's secret one
    service.append(with_headers(invoice(plain, "F-1"),
                                f"Authentication-Results: {TRUSTED}; dmarc=fail (p=none) header.from=jansen.example"))
    service.append(invoice(plain, "F-2"))  # no Authentication-Results at all
    service.append(with_headers(invoice(plain, "F-3"),  # the forger's own header, by another authserv-id
                                "Authentication-Results: mx.attacker.test; dmarc=pass header.from=jansen.example"))
    service.append(with_headers(invoice(plain, "F-4"),  # ours on top says fail; a forged copy below says pass
                                f"Authentication-Results: {TRUSTED}; dmarc=fail header.from=jansen.example",
                                f"Authentication-Results: {TRUSTED}; dmarc=pass header.from=jansen.example"))
    service.append(with_headers(invoice(plain, "F-5"),  # a DKIM pass for someone else's domain is no proof
                                f"Authentication-Results: {TRUSTED}; dkim=pass header.d=attacker.example"))
    outcomes = service.ingest().outcomes
    assert [o.status for o in outcomes] == ["quarantined"] * 5
    assert service.get("/invoices", key).json() == []
    found = reasons(service, key)
    expected = ["sender not authenticated: dmarc=fail", f"no proof of origin: no Authentication-Results from {TRUSTED}",
                f"no proof of origin: no Authentication-Results from {TRUSTED}", "sender not authenticated: dmarc=fail",
                "sender not authenticated: dkim=pass d=attacker.example"]
    assert [r[:len(e)] for r, e in zip(found, expected, strict=True)] == expected
    assert all("nothing was dunned" in r for r in found)

    # Weeks of ticks: the victim never hears from us; the business is told once, with a summary.
    smtp_server.clear()
    for week in range(10):
        service.tick(at("2027-01-14") + timedelta(weeks=week))
        service.work()
    assert sent_to(smtp_server) == [("billing@jansen.example",)]
    summary = message_from_bytes(smtp_server.messages[0].raw, policy=policy.default)
    assert "5 e-mail(s)" in summary["Subject"]
    # A new forgery a day later is summarised the next day, in one more notice.
    service.append(invoice(plain, "F-6"))
    service.ingest()
    service.tick(at("2027-03-26"))
    service.tick(at("2027-03-26"))
    service.work()
    assert sent_to(smtp_server) == [("billing@jansen.example",)] * 2


def test_mail_to_the_ingest_address_or_with_a_trusted_pass_is_the_business_s(trusted):
    service = trusted
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    plain = service.account.address
    service.append(invoice(service.ingest_address("Bakkerij Jansen"), "OK-1", to="inkoop@klant.example"))
    service.append(with_headers(invoice(plain, "OK-2", to="inkoop@klant.example"),
                                f"Authentication-Results: {TRUSTED}; spf=pass smtp.mailfrom=jansen.example; "
                                "dkim=pass header.d=jansen.example; dmarc=pass header.from=jansen.example"))
    service.append(with_headers(invoice(plain, "OK-3", to="inkoop@klant.example"),
                                f"Authentication-Results: {TRUSTED.upper()}; dkim=pass header.d=mail.jansen.example"))
    assert [o.status for o in service.ingest().outcomes] == ["processed"] * 3
    assert sorted(i["number"] for i in service.get("/invoices", key).json()) == ["OK-1", "OK-2", "OK-3"]


def test_a_rotated_ingest_address_no_longer_counts(trusted):
    service = trusted
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    old = service.ingest_address("Bakkerij Jansen")
    with service.container.sessions.begin() as session:
        new = rotate_ingest_address(session, find_business(session, "Bakkerij Jansen"),
                                    service.container.settings.service_address)
    assert new != old and "+in-" in new
    service.append(invoice(old, "R-1", to="inkoop@klant.example"))
    service.append(invoice(new, "R-2", to="inkoop@klant.example"))
    assert [o.status for o in service.ingest().outcomes] == ["quarantined", "processed"]
    assert [i["number"] for i in service.get("/invoices", key).json()] == ["R-2"]
    assert "retired ingest address" in reasons(service, key)[0]


def test_a_message_for_two_businesses_is_quarantined_not_given_to_the_first(trusted):
    service = trusted
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    service.add_business("Acme Consulting", ["@acme.example"], "invoices@acme.example")
    both = invoice(service.ingest_address("Bakkerij Jansen"), "B-1", to="inkoop@klant.example")
    both = with_headers(both, f"Delivered-To: {service.ingest_address('Acme Consulting')}")
    service.append(both)
    outcome = service.ingest().outcomes[0]
    assert outcome.status == "quarantined" and "ingest addresses of 2 businesses" in outcome.reason


def test_a_sender_list_cannot_claim_free_mail_or_another_business_s_domain(trusted):
    service = trusted
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    acme = service.add_business("Acme Consulting", ["@acme.example"], "invoices@acme.example")
    patch = service.api.patch("/business", headers={"X-API-Key": acme}, json={"sender_allowlist": ["@gmail.com"]})
    assert patch.status_code == 422 and "free-mail" in patch.json()["message"]
    patch = service.api.patch("/business", headers={"X-API-Key": acme},
                              json={"sender_allowlist": ["boekhouding@jansen.example"]})
    assert patch.status_code == 422 and "another business" in patch.json()["message"]
    patch = service.api.patch("/business", headers={"X-API-Key": acme},
                              json={"sender_allowlist": ["@acme.example", "acme.consulting@gmail.com"]})
    assert patch.status_code == 200


def _invoiced_and_reminded(service, smtp_server) -> tuple[str, dict, object]:
    """Jansen invoices Delta (via the ingest address); the reminder goes out; returns key, invoice, reminder."""
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    service.append(invoice_mail(**JANSEN, to="dirk@delta.example", bcc=service.ingest_address("Bakkerij Jansen"),
                                number="2027-0500", issue=date(2026, 12, 13), due=date(2027, 1, 12),
                                amount="500.00", buyer_name="Delta B.V."))
    service.ingest()
    smtp_server.clear()
    service.tick(at("2027-01-14"))
    service.work()
    reminder = message_from_bytes(smtp_server.wait_for(1)[0].raw, policy=policy.default)
    return key, service.get("/invoices", key).json()[0], reminder


def test_remittance_from_a_stranger_or_another_tenant_changes_nothing(trusted, smtp_server):
    service = trusted
    key, original, _ = _invoiced_and_reminded(service, smtp_server)
    acme = service.add_business("Acme Consulting", ["@acme.example"], "invoices@acme.example")
    service.container.settings.admin_api_key = "operator-key"
    service.append(reply_mail(sender="crediteuren@elsewhere.example", to=service.account.address, in_reply_to=None,
                              subject="Betalingsadvies", body=REMITTANCE))
    service.append(with_headers(
        reply_mail(sender="ap@acme.example", to=service.account.address, in_reply_to=None,
                   subject="Betalingsadvies", body=REMITTANCE),
        f"Authentication-Results: {TRUSTED}; dmarc=pass header.from=acme.example"))
    assert [o.status for o in service.ingest().outcomes] == ["quarantined", "quarantined"]
    after = service.get(f"/invoices/{original['id']}", key).json()
    assert (after["status"], after["amount_paid"]) == ("open", "0.00")
    assert [e["kind"] for e in after["timeline"]] == ["InvoiceReceived", "ReminderRecorded", "ReminderSent"]
    # The stranger's lands in the operator's quarantine; the other tenant's in that tenant's own review.
    unassigned = service.api.get("/admin/quarantine", headers={"X-Admin-Key": "operator-key"}).json()
    assert [m["from_address"] for m in unassigned] == ["crediteuren@elsewhere.example"]
    assert [m["from_address"] for m in service.get("/review", acme).json()["quarantined"]] == ["ap@acme.example"]
    assert service.get("/review", key).json()["quarantined"] == []


def test_the_debtor_s_remittance_is_reported_and_holds_the_ladder_but_books_nothing(trusted, smtp_server):
    service = trusted
    key, original, reminder = _invoiced_and_reminded(service, smtp_server)
    service.append(reply_mail(sender="dirk@delta.example", to=reminder["Reply-To"].addresses[0].addr_spec,
                              in_reply_to=reminder["Message-ID"], subject="Re: " + reminder["Subject"],
                              body=REMITTANCE))
    assert [(o.status, o.kind) for o in service.ingest().outcomes] == [("processed", "remittance")]
    detail = service.get(f"/invoices/{original['id']}", key).json()
    assert (detail["status"], detail["amount_paid"]) == ("open", "0.00")
    reported = [e["data"] for e in detail["timeline"] if e["kind"] == "PaymentReported"]
    # Reported on 14 January: five business days' grace by default.
    assert [(r["amount"], r["hold_until"]) for r in reported] == [("200.00", "2027-01-21")]
    assert any(n["kind"] == "PaymentReported" for n in service.get("/review", key).json()["notices"])
    smtp_server.clear()
    service.tick(at("2027-01-20"))  # inside the hold: nothing goes out
    service.work()
    assert smtp_server.messages == []
    service.tick(at("2027-01-26"))  # the money was not seen: the ladder goes on, for the whole amount
    service.work()
    firm = message_from_bytes(smtp_server.wait_for(1)[0].raw, policy=policy.default)
    assert firm["To"] == "dirk@delta.example" and "500,00" in firm.get_body(("plain",)).get_content()


def test_an_authenticated_remittance_from_the_known_payer_is_booked_when_the_business_trusts_it(trusted,
                                                                                                 smtp_server):
    service = trusted
    key, original, reminder = _invoiced_and_reminded(service, smtp_server)
    assert service.api.patch("/business", headers={"X-API-Key": key},
                             json={"trust_authenticated_remittance": True}).status_code == 200
    answer = reply_mail(sender="dirk@delta.example", to=reminder["Reply-To"].addresses[0].addr_spec,
                        in_reply_to=reminder["Message-ID"], subject="Re: " + reminder["Subject"], body=REMITTANCE)
    service.append(with_headers(answer, f"Authentication-Results: {TRUSTED}; dmarc=fail header.from=delta.example"))
    service.append(with_headers(answer.replace(b"Message-ID: <", b"Message-ID: <again."),
                                f"Authentication-Results: {TRUSTED}; dmarc=pass header.from=delta.example"))
    assert [o.status for o in service.ingest().outcomes] == ["processed", "processed"]
    detail = service.get(f"/invoices/{original['id']}", key).json()
    assert detail["amount_paid"] == "200.00"  # once: the unauthenticated copy was only reported
    assert [e["kind"] for e in detail["timeline"]].count("PaymentReported") == 1


def test_payments_accounting_can_trust(trusted, smtp_server):
    service = trusted
    key, original, _ = _invoiced_and_reminded(service, smtp_server)
    url, headers = f"/invoices/{original['id']}/payments", {"X-API-Key": key, "Idempotency-Key": "bank-0001"}
    first = service.api.post(url, headers=headers, json={"amount": "100.00", "paid_on": "2027-01-13"})
    again = service.api.post(url, headers=headers, json={"amount": "100.00", "paid_on": "2027-01-13"})
    assert (first.status_code, again.status_code) == (200, 200) and first.json() == again.json()
    assert service.api.post(url, headers=headers, json={"amount": "120.00"}).status_code == 409
    assert service.get(f"/invoices/{original['id']}", key).json()["amount_paid"] == "100.00"  # booked once
    too_much = service.api.post(url, headers={"X-API-Key": key}, json={"amount": "100000.00"})
    assert too_much.status_code == 422 and "400.00" in too_much.text  # names what is still open
    future = service.api.post(url, headers={"X-API-Key": key}, json={"amount": "1.00", "paid_on": "2027-02-01"})
    assert future.status_code == 422
    # Another business's key sees nothing of this invoice and cannot pay it.
    other = service.add_business("Acme Consulting", ["@acme.example"], "invoices@acme.example")
    assert service.get("/invoices", other).json() == []
    assert service.api.post(url, headers={"X-API-Key": other}, json={"amount": "1.00"}).status_code == 404
