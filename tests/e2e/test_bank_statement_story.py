"""Story: three invoices dunned; the business mails its CAMT.053 to the ingest address; the ladder follows the money."""

from datetime import date, datetime
from decimal import Decimal
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import make_msgid
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from parsers.bank.model import StatementLine
from tests.bank_camt_writer import write_camt053
from tests.factories.mail import invoice_mail
from worker.db.models import OutboundInvoice, OutboundMessage

pytestmark = pytest.mark.integration
AMS = ZoneInfo("Europe/Amsterdam")


def at(day: str) -> datetime:
    return datetime.combine(date.fromisoformat(day), datetime.min.time().replace(hour=10), AMS)


def statement_mail(*, sender: str, to: str, camt: bytes) -> bytes:
    """The business forwards its bank's statement; the file name says nothing, the content does."""
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = sender, to, "Fwd: afschrift"
    msg["Message-ID"] = make_msgid(domain="jansen.example")
    msg["Delivered-To"] = to
    msg.set_content("Zie bijlage.")
    msg.add_attachment(camt, maintype="application", subtype="octet-stream", filename="export_20270120.dat")
    return msg.as_bytes()


def steps_by_invoice(service, recorded: list[int]) -> dict[str, list[str]]:
    with service.container.sessions.begin() as session:
        rows = session.execute(select(OutboundInvoice.invoice_id, OutboundMessage.step).join(
            OutboundMessage, OutboundMessage.id == OutboundInvoice.outbound_message_id).where(
            OutboundMessage.id.in_(recorded))).all()
    found: dict[str, list[str]] = {}
    for invoice_id, step in rows:
        found.setdefault(str(invoice_id), []).append(step)
    return found


def test_a_mailed_statement_stops_the_paid_invoice_lowers_the_part_paid_and_leaves_the_unknown_credit(
        service, smtp_server):
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    inbox = service.ingest_address("Bakkerij Jansen")
    issue, due = date(2026, 12, 13), date(2027, 1, 12)
    for number, buyer, amount in (("2027-0001", "een", "1210.00"), ("2027-0002", "twee", "484.00"),
                                  ("2027-0003", "drie", "96.80")):
        service.append(invoice_mail(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example",
                                    to=f"ap@klant-{buyer}.example", bcc=inbox, number=number, issue=issue, due=due,
                                    amount=amount, buyer_name=f"Klant {buyer.title()}"))
    assert [o.status for o in service.ingest().outcomes] == ["processed"] * 3
    invoices = {i["number"]: i for i in service.get("/invoices", key).json()}
    one, two, three = (invoices[n] for n in ("2027-0001", "2027-0002", "2027-0003"))
    assert one["payment_reference"].startswith("RF")  # printed on letters and in the QR code
    assert len(service.tick(at("2027-01-14")).recorded) == 3
    service.work()
    smtp_server.wait_for(3)

    camt = write_camt053([
        StatementLine("NL91ABNA0417164300", date(2027, 1, 19), Decimal("1210.00"), True, "EUR", "B-1",
                      "Klant Een B.V.", "NL02RABO0123456789", "", one["payment_reference"]),
        StatementLine("NL91ABNA0417164300", date(2027, 1, 19), Decimal("200.00"), True, "EUR", "B-2",
                      "Klant Twee", "NL44INGB0001234567", "deelbetaling factuur 2027 0002"),
        StatementLine("NL91ABNA0417164300", date(2027, 1, 19), Decimal("96.80"), True, "EUR", "B-3",
                      "Iemand Anders", "NL20INGB0007654321", "gift"),
    ], account_iban="NL91ABNA0417164300")
    service.append(statement_mail(sender="billing@jansen.example", to=inbox, camt=camt))
    (outcome,) = service.ingest().outcomes
    assert (outcome.status, outcome.kind) == ("processed", "bank_statement"), outcome
    (imported,) = service.get("/bank-statements", key).json()
    assert (imported["source"], imported["credits"], imported["matched"], imported["review"]) == ("email", 3, 2, 1)

    paid = service.get(f"/invoices/{one['id']}", key).json()
    assert paid["status"] == "paid"
    timeline = " ".join(str(e["data"].get("note")) for e in paid["timeline"])
    assert "B-1" in timeline and "Klant Een B.V." in timeline  # the statement line on the invoice's timeline
    assert service.get(f"/invoices/{two['id']}", key).json()["amount_paid"] == "200.00"

    # The next step: nothing for the paid invoice, the rest only for the part paid one, the third as before.
    smtp_server.clear()
    recorded = service.tick(at("2027-01-26")).recorded
    steps = steps_by_invoice(service, recorded)
    assert all("reminder" not in s for s in steps.get(str(one["id"]), []))
    assert steps[str(two["id"])] and steps[str(three["id"])]
    service.work()
    sent = [message_from_bytes(m.raw, policy=policy.default) for m in smtp_server.wait_for(len(recorded))]
    to_two = next(m for m in sent if str(m["To"]) == "ap@klant-twee.example")
    text = to_two.get_body(("plain",)).get_content()
    assert "284,00" in text and "484,00" not in text  # asks only what is still open

    # The unrelated credit waits in review, with no invoice guessed for it.
    (waiting,) = service.get("/review/credits", key).json()
    assert waiting["counterparty_name"] == "Iemand Anders" and waiting["status"] == "review"
    assert service.get(f"/invoices/{three['id']}", key).json()["status"] == "open"


def test_a_statement_in_the_business_name_without_proof_books_nothing(service):
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    camt = write_camt053([StatementLine("NL91ABNA0417164300", date(2027, 1, 19), Decimal("10.00"), True, "EUR", "X-1",
                                        "Wie", None, "gift")], account_iban="NL91ABNA0417164300")
    # To the public service address, From the business, but no DMARC proof: anyone could have sent it.
    service.append(statement_mail(sender="billing@jansen.example", to=service.container.settings.service_address,
                                  camt=camt))
    (outcome,) = service.ingest().outcomes
    assert outcome.status == "quarantined"
    assert service.get("/bank-statements", key).json() == []
