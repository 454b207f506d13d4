"""send_outbound with the transport's fakes on SQLite: proof before resend, and outcomes per recipient."""

from datetime import UTC, datetime, timedelta
from email.message import EmailMessage

import pytest
from sqlalchemy import select

from mailer.errors import PermanentDeliveryError, Refusal, TransientDeliveryError
from mailer.fakes import RecordingSender
from mailer.sent_copies import InMemorySentCopies
from worker.db.migrate import upgrade
from worker.db.models import Debtor, OutboundDelivery, OutboundMessage, TimelineEvent
from worker.db.session import make_engine, make_session_factory
from worker.usecases.businesses import create_business
from worker.usecases.send import CLAIM_LEASE, send_outbound

NOW = datetime(2027, 1, 14, 9, tzinfo=UTC)
CONTACT, GENERAL = "ap@klant.example", "info@klant.example"


@pytest.fixture
def sessions(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'send.db'}")
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


def outbox_row(sessions, to, cc, status="pending", claimed_at=None) -> tuple[int, str]:
    with sessions.begin() as session:
        business, _ = create_business(session, name="Jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300", now=NOW)
        debtor = Debtor(business_id=business.id, contact_email=CONTACT, general_email=GENERAL, name="Klant",
                        created_at=NOW)
        session.add(debtor)
        session.flush()
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = "billing@jansen.example", ", ".join(to), "Herinnering"
        message["Message-ID"] = "<b1.d1.i1.last_reminder@service.test>"
        message.set_content("Factuur 1 staat open.")
        row = OutboundMessage(business_id=business.id, debtor_id=debtor.id, step="last_reminder",
                              message_id=str(message["Message-ID"]), to_addresses=to, cc_addresses=cc,
                              subject="Herinnering", raw=message.as_bytes(), status=status, attempts=1 if claimed_at
                              else 0, claimed_at=claimed_at, created_at=NOW)
        session.add(row)
        session.flush()
        return row.id, row.message_id


def deliveries(sessions) -> dict[str, str]:
    with sessions.begin() as session:
        return {d.recipient: d.status for d in session.scalars(select(OutboundDelivery))}


def test_a_stale_claim_with_a_copy_in_sent_is_marked_sent_without_sending(sessions):
    oid, mid = outbox_row(sessions, [GENERAL], [CONTACT], status="sending", claimed_at=NOW)
    copies = InMemorySentCopies()
    copies.append(f"Message-ID: {mid}\r\nSubject: x\r\n\r\nbody\r\n".encode())
    sender = RecordingSender()
    later = NOW + CLAIM_LEASE + timedelta(minutes=1)
    assert send_outbound(sessions, sender, oid, NOW + timedelta(minutes=1), copies=copies) == "sending"  # live claim
    assert send_outbound(sessions, sender, oid, later, copies=copies) == "sent"
    assert sender.sent == []
    with sessions.begin() as session:
        event = session.scalars(select(TimelineEvent).where(TimelineEvent.kind == "ReminderSent")).one()
        assert event.data["note"] == "proof: sent copy found in Sent"
    assert deliveries(sessions) == {GENERAL: "accepted", CONTACT: "accepted"}


def test_a_stale_claim_without_a_copy_is_sent_once_and_copied(sessions):
    oid, mid = outbox_row(sessions, [GENERAL], [], status="sending", claimed_at=NOW)
    copies, sender = InMemorySentCopies(), RecordingSender()
    assert send_outbound(sessions, sender, oid, NOW + CLAIM_LEASE * 2, copies=copies) == "sent"
    assert [s.recipients for s in sender.sent] == [[GENERAL]]
    assert copies.find(mid) == "Sent"  # appended after acceptance


def test_an_unreachable_mailbox_defers_an_uncertain_send(sessions):
    oid, mid = outbox_row(sessions, [GENERAL], [], status="sending", claimed_at=NOW)

    class Down(InMemorySentCopies):
        def find(self, message_id):
            raise OSError("connection refused")

    sender = RecordingSender()
    assert send_outbound(sessions, sender, oid, NOW + CLAIM_LEASE * 2, copies=Down()) == "pending"  # retried later
    assert sender.sent == [] and deliveries(sessions) == {GENERAL: "unknown"}
    # Released, and still uncertain: the next try looks again, finds the copy, and sends nothing.
    copies = InMemorySentCopies()
    copies.append(f"Message-ID: {mid}\r\n\r\nbody\r\n".encode())
    assert send_outbound(sessions, sender, oid, NOW + CLAIM_LEASE * 2, copies=copies) == "sent"
    assert sender.sent == []


def test_451_on_the_cc_retries_only_the_cc(sessions):
    oid, _ = outbox_row(sessions, [GENERAL], [CONTACT])
    sender = RecordingSender(fail_next=[TransientDeliveryError(
        "greylisted", 451, accepted=[GENERAL], refusals=[Refusal(CONTACT, 451, "4.7.1 try later")])])
    assert send_outbound(sessions, sender, oid, NOW) == "pending"
    assert deliveries(sessions) == {GENERAL: "accepted", CONTACT: "deferred"}
    assert send_outbound(sessions, sender, oid, NOW + timedelta(minutes=5)) == "sent"
    assert [s.recipients for s in sender.sent] == [[CONTACT]]


def test_550_on_the_cc_contact_with_the_to_accepted_is_sent_and_marks_the_contact(sessions):
    oid, _ = outbox_row(sessions, [GENERAL], [CONTACT])
    sender = RecordingSender(fail_next=[PermanentDeliveryError(
        [CONTACT], 550, "5.1.1 no such user", accepted=[GENERAL], refusals=[Refusal(CONTACT, 550, "no such user")])])
    assert send_outbound(sessions, sender, oid, NOW) == "sent"
    assert deliveries(sessions) == {GENERAL: "accepted", CONTACT: "refused"}
    with sessions.begin() as session:
        assert session.scalars(select(Debtor)).one().contact_undeliverable


def test_a_transaction_refused_for_good_fails_without_blaming_the_contact(sessions):
    oid, _ = outbox_row(sessions, [CONTACT], [])
    sender = RecordingSender(fail_next=[PermanentDeliveryError([CONTACT], 554, "5.7.1 sender blocked")])
    assert send_outbound(sessions, sender, oid, NOW) == "failed"
    with sessions.begin() as session:
        assert not session.scalars(select(Debtor)).one().contact_undeliverable
