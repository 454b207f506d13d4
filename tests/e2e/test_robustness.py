"""Nothing lost, nothing sent twice: repeated ingest, lost jobs, unknown senders and corrupt PDFs."""

from datetime import date, datetime
from email import message_from_bytes, policy
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select

from tests.factories.mail import invoice_mail, reply_mail
from worker.db.models import InboundMessage, Invoice, MailboxState, OutboundMessage
from worker.usecases.send import send_outbound

pytestmark = pytest.mark.integration
AFTER_DUE = datetime(2027, 1, 14, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))  # the reminder step: due + 2


def one_invoice(service, number="2027-0100"):
    return invoice_mail(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example",
                        to="inkoop@klant.example", bcc=service.ingest_address("Bakkerij Jansen"), number=number,
                        issue=date(2026, 12, 13), due=date(2027, 1, 12), amount="121.00", buyer_name="Klant B.V.")


def count(service, column) -> int:
    with service.container.sessions.begin() as session:
        return session.scalar(select(func.count(column)))


def test_the_same_mailbox_ingested_twice_changes_nothing(service):
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    raw = one_invoice(service)
    service.append(raw)
    service.ingest()
    service.append(raw)  # the same message delivered again (same Message-ID)
    # Forget the cursor too, as if the worker lost its state: the whole folder is read again.
    with service.container.sessions.begin() as session:
        session.execute(delete(MailboxState))
    second = service.ingest()
    assert [o.status for o in second.outcomes] == ["processed"]
    assert count(service, InboundMessage.id) == 1 and count(service, Invoice.id) == 1


def test_a_job_lost_between_recorded_and_sent_is_sent_exactly_once(service, smtp_server):
    service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    service.append(one_invoice(service))
    service.ingest()
    assert len(service.tick(AFTER_DUE).recorded) == 1
    for key in service.redis.scan_iter("rq:*"):  # Redis lost every job: only the database remembers
        service.redis.delete(key)
    assert smtp_server.messages == []
    service.tick(AFTER_DUE)  # the next tick sweeps pending rows back onto the queue
    service.tick(AFTER_DUE)
    service.work()
    assert len(smtp_server.wait_for(1)) == 1
    # a late duplicate job (or a second worker) finds the row sent and does nothing
    with service.container.sessions.begin() as session:
        outbound_id = session.scalar(select(OutboundMessage.id))
    assert send_outbound(service.container.sessions, service.container.sender, outbound_id, AFTER_DUE) == "sent"
    service.tick(AFTER_DUE)
    service.work()
    assert len(smtp_server.messages) == 1


def test_unknown_sender_and_corrupt_pdf_are_quarantined_with_a_reason(service, smtp_server):
    service.container.settings.admin_api_key = "operator-key"
    key = service.add_business("Bakkerij Jansen", ["billing@jansen.example"], "billing@jansen.example")
    service.append(reply_mail(sender="stranger@elsewhere.example", to=service.account.address, in_reply_to=None,
                              subject="Hello", body="Are you interested in our offer?"))
    corrupt = invoice_mail(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example",
                           to="inkoop@klant.example", bcc=service.ingest_address("Bakkerij Jansen"), number="X-1",
                           issue=date(2026, 12, 13), due=date(2027, 1, 12), amount="1.00", buyer_name="K",
                           pdf=b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage \x00\xff not a real pdf")
    service.append(corrupt)
    service.append(one_invoice(service, "2027-0200"))  # the worker keeps going after both
    outcomes = service.ingest().outcomes
    assert [o.status for o in outcomes] == ["quarantined", "quarantined", "processed"]
    assert service.folder_count("Quarantine") == 2 and service.folder_count("Processed") == 1
    review = service.get("/review", key).json()
    assert len(review["quarantined"]) == 1
    assert "factuur-X-1.pdf" in review["quarantined"][0]["reason"]
    unassigned = service.api.get("/admin/quarantine", headers={"X-Admin-Key": "operator-key"}).json()
    assert [m["from_address"] for m in unassigned] == ["stranger@elsewhere.example"]
    assert "unknown sender" in unassigned[0]["reason"]
    # The business is told by e-mail which file could not be read, once.
    service.tick(AFTER_DUE)
    service.work()
    service.tick(AFTER_DUE)
    service.work()
    received = smtp_server.wait_for(2)
    notices = [m for m in received if m.rcpt_tos == ["billing@jansen.example"]]
    assert len(notices) == 1 and len(received) == 2  # the notice, and the reminder for 2027-0200
    body = message_from_bytes(notices[0].raw, policy=policy.default).get_body(("plain",)).get_content()
    assert "factuur-X-1.pdf" in body
