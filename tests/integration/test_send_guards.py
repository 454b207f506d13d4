"""Guards at send time, on both databases and a real SMTP server: a message decided earlier goes out only if
the invoice is still owed, the step still due, the debtor not on hold and the moment inside the sending window."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from structlog.testing import capture_logs

from tests.integration.reminder_day import AMS, LETTERS, NOW, decide
from tests.integration.reminder_day import stored as row
from worker.db.models import Business, Debtor, Invoice, OutboundInvoice, TimelineEvent
from worker.domain.events import EventKind
from worker.usecases.businesses import create_business
from worker.usecases.notice_texts import Notice
from worker.usecases.notices import notify_business
from worker.usecases.payments import record_payment, reverse_payment
from worker.usecases.reported_payments import report_payment
from worker.usecases.send import send_outbound

pytestmark = pytest.mark.integration


def seed(sessions) -> int:
    with sessions.begin() as session:
        business, _ = create_business(session, name="Jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300", now=NOW)
        business.settings = {**business.settings, "thank_you": False}  # only reminders in these stories
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", name="Klant", created_at=NOW)
        session.add(debtor)
        session.flush()
        invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number="F-1", issue_date=date(2026, 12, 13),
                          due_date=date(2027, 1, 12), currency="EUR", amount_due=Decimal("121.00"),
                          amount_paid=Decimal(0), status="open", reply_token="tok1", parsed={}, created_at=NOW)
        session.add(invoice)
        session.flush()
        return invoice.id


def events(sessions, kind: EventKind) -> list[dict]:
    with sessions.begin() as session:
        return list(session.scalars(select(TimelineEvent.data).where(TimelineEvent.kind == kind.value)))


def test_paid_between_decision_and_send_is_cancelled_and_taken_again_if_owed_again(sessions, smtp, smtp_server):
    invoice_id = seed(sessions)
    [outbound_id] = decide(sessions)
    with sessions.begin() as session:
        payment = record_payment(session, session.get_one(Invoice, invoice_id), Decimal("121.00"),
                                 paid_on=date(2027, 1, 14), note=None, now=NOW)
        payment_id = payment.id
    with capture_logs() as logged:
        assert send_outbound(sessions, smtp, outbound_id, NOW + timedelta(minutes=1)) == "cancelled"
    assert smtp_server.messages == []
    [decision] = [e for e in logged if e["event"] == "send_cancelled"]
    assert {k: decision[k] for k in ("business_id", "invoice_id", "outbound_id", "step")} == {
        "business_id": 1, "invoice_id": invoice_id, "outbound_id": outbound_id, "step": "reminder"}
    assert decision["message_id"].startswith("<b1.") and "raw" not in decision  # ids, never the body
    [cancelled] = events(sessions, EventKind.REMINDER_CANCELLED)
    assert cancelled["step"] == "reminder" and "F-1 is paid" in cancelled["reason"]
    with sessions.begin() as session:  # the step no longer counts as sent
        assert session.scalar(select(func.count(OutboundInvoice.id))) == 0
    assert decide(sessions, NOW + timedelta(minutes=2)) == []  # paid: the tick does not record it again
    # The bank returns the payment: the invoice is owed again and the reminder, never sent, is taken again.
    with sessions.begin() as session:
        reverse_payment(session, session.get_one(Invoice, invoice_id), payment_id, note="returned",
                        now=NOW + timedelta(minutes=3))
    [again] = decide(sessions, NOW + timedelta(minutes=4))  # the cancelled one is no "previous message" either
    assert again != outbound_id and row(sessions, again).step == "reminder"
    assert send_outbound(sessions, smtp, again, NOW + timedelta(minutes=5)) == "sent"
    assert [m.rcpt_tos for m in smtp_server.wait_for(1)] == [["ap@klant.example"]]
    assert send_outbound(sessions, smtp, outbound_id, NOW + timedelta(minutes=6)) == "cancelled"  # stays so


def test_a_debtor_on_hold_is_deferred_to_the_end_of_the_hold(sessions, smtp, smtp_server):
    invoice_id = seed(sessions)
    [outbound_id] = decide(sessions)
    with sessions.begin() as session:
        invoice = session.get_one(Invoice, invoice_id)
        hold_until = report_payment(session, session.get_one(Business, invoice.business_id), invoice, amount=None,
                                    reported_on=date(2027, 1, 14), source="reply", sender="ap@klant.example",
                                    inbound_id=None, matched_by="test", now=NOW)
    assert send_outbound(sessions, smtp, outbound_id, NOW + timedelta(minutes=1)) == "pending"
    deferred = row(sessions, outbound_id)
    assert deferred.next_attempt_at == datetime.combine(hold_until, datetime.min.time().replace(hour=8), AMS)
    assert deferred.attempts == 0  # a deferral is no delivery attempt
    assert smtp_server.messages == []
    assert send_outbound(sessions, smtp, outbound_id, deferred.next_attempt_at) == "sent"
    assert len(smtp_server.wait_for(1)) == 1


def test_outside_the_window_a_reminder_waits_for_the_next_opening(sessions, smtp, smtp_server):
    seed(sessions)
    [outbound_id] = decide(sessions)
    evening = datetime(2027, 1, 15, 18, 30, tzinfo=AMS)  # Friday evening: next opening is Monday 08:00
    assert send_outbound(sessions, smtp, outbound_id, evening) == "pending"
    monday = datetime(2027, 1, 18, 8, tzinfo=AMS)
    assert row(sessions, outbound_id).next_attempt_at == monday
    assert send_outbound(sessions, smtp, outbound_id, datetime(2027, 1, 17, 12, tzinfo=AMS)) == "pending"  # Sunday
    assert smtp_server.messages == []
    assert send_outbound(sessions, smtp, outbound_id, monday) == "sent"
    assert len(smtp_server.wait_for(1)) == 1


def test_a_notice_to_the_business_goes_out_at_night(sessions, smtp, smtp_server):
    seed(sessions)
    night = datetime(2027, 1, 16, 23, 30, tzinfo=AMS)  # Saturday night
    with sessions.begin() as session:
        business = session.scalars(select(Business)).one()
        notice = notify_business(session, business, Notice("test-notice", "Title", "Message.", None), now=night,
                                 letters=LETTERS)
        assert notice is not None
        notice_id = notice.id
    assert send_outbound(sessions, smtp, notice_id, night) == "sent"
    assert smtp_server.wait_for(1)[0].rcpt_tos == ["billing@jansen.example"]


def test_a_step_superseded_by_a_later_one_is_cancelled(sessions, smtp, smtp_server):
    seed(sessions)
    [first] = decide(sessions)
    # The first reminder never went out (say the SMTP server was down for days); the ladder moved on.
    enqueued = decide(sessions, datetime(2027, 1, 28, 10, tzinfo=AMS))
    later = [oid for oid in enqueued if oid != first]
    assert first in enqueued and len(later) == 1 and row(sessions, later[0]).step != "reminder"
    assert send_outbound(sessions, smtp, first, datetime(2027, 1, 28, 10, 5, tzinfo=AMS)) == "cancelled"
    assert "already has the later step" in events(sessions, EventKind.REMINDER_CANCELLED)[0]["reason"]
    assert send_outbound(sessions, smtp, later[0], datetime(2027, 1, 28, 10, 6, tzinfo=AMS)) == "sent"
    assert len(smtp_server.wait_for(1)) == 1


def test_the_sweep_enqueues_a_deferred_row_only_once_its_moment_has_come(sessions, smtp):
    seed(sessions)
    [outbound_id] = decide(sessions)
    evening = datetime(2027, 1, 14, 19, tzinfo=AMS)
    assert send_outbound(sessions, smtp, outbound_id, evening) == "pending"
    assert decide(sessions, evening + timedelta(hours=1)) == []  # waiting: not enqueued at every tick
    assert decide(sessions, datetime(2027, 1, 15, 8, tzinfo=AMS).astimezone(UTC)) == [outbound_id]
