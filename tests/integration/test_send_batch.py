"""One send job takes a batch of due rows: each is claimed, rendered, sent once over one connection and recorded;
rows not due or held by another worker are left alone, and a failure mid-batch keeps the sent ones recorded."""

from datetime import date, timedelta
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from mailer.sender import SmtpSender
from mailer.smtp_pool import PooledSmtpSender
from tests.integration.reminder_day import LETTERS, NOW, decide, stored
from worker.db.models import Debtor, Invoice, OutboundMessage
from worker.usecases.businesses import create_business
from worker.usecases.send import send_batch, send_outbound

pytestmark = pytest.mark.integration

LATER = NOW + timedelta(hours=1)


def seed(sessions, debtors: int) -> None:
    """`debtors` debtors, each with one invoice due two days ago: one reminder each."""
    with sessions.begin() as session:
        business, _ = create_business(session, name="Jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300", now=NOW)
        business.settings = {**business.settings, "thank_you": False}
        for n in range(debtors):
            debtor = Debtor(business_id=business.id, contact_email=f"ap{n}@klant.example", name=f"Klant {n}",
                            created_at=NOW)
            session.add(debtor)
            session.flush()
            session.add(Invoice(business_id=business.id, debtor_id=debtor.id, number=f"F-{n}",
                                issue_date=date(2026, 12, 13), due_date=date(2027, 1, 12), currency="EUR",
                                amount_due=Decimal("121.00"), amount_paid=Decimal(0), status="open",
                                reply_token=f"tok{n}", parsed={}, created_at=NOW))


def recorded(sessions, debtors: int) -> list[int]:
    seed(sessions, debtors)
    ids = sorted(decide(sessions))
    assert len(ids) == debtors
    return ids


def set_row(sessions, outbound_id: int, **values) -> None:
    with sessions.begin() as session:
        row = session.get_one(OutboundMessage, outbound_id)
        for name, value in values.items():
            setattr(row, name, value)


@pytest.fixture
def pooled(smtp):
    sender = PooledSmtpSender(smtp, max_connections=1)
    yield sender
    sender.close()


def test_one_job_sends_its_row_and_the_other_due_rows_each_once(sessions, pooled, smtp_server):
    ids = recorded(sessions, 5)
    set_row(sessions, ids[4], next_attempt_at=LATER + timedelta(hours=1))  # waiting for a retry: not due yet
    statuses = send_batch(sessions, pooled, ids[0], LATER, letters=lambda: LETTERS, size=10)
    assert statuses == {oid: "sent" for oid in ids[:4]}
    received = smtp_server.wait_for(4)
    rows = [stored(sessions, oid) for oid in ids[:4]]
    assert sorted(message_from_bytes(r.raw, policy=policy.default)["Message-ID"] for r in received) == \
        sorted(row.message_id for row in rows)
    for row in rows:  # rendered and stored under the claim, then sent byte for byte (line ends aside)
        assert row.rendered_at == LATER and row.sent_at == LATER and row.attempts == 1
        [got] = [r.raw for r in received if row.message_id.encode() in r.raw]
        assert got.replace(b"\r\n", b"\n") == row.raw.replace(b"\r\n", b"\n")
    assert pooled.connections_opened == 1
    # Their own jobs come later and find them sent; the row not yet due is untouched.
    assert send_outbound(sessions, pooled, ids[1], LATER, letters=lambda: LETTERS) == "sent"
    assert stored(sessions, ids[4]).status == "pending" and stored(sessions, ids[4]).attempts == 0
    assert len(smtp_server.messages) == 4


def test_rows_another_worker_holds_are_left_to_it(sessions, pooled, smtp_server):
    ids = recorded(sessions, 3)
    set_row(sessions, ids[1], status="sending", claimed_at=LATER)  # a live claim of another worker
    statuses = send_batch(sessions, pooled, ids[0], LATER, letters=lambda: LETTERS, size=10)
    assert statuses == {ids[0]: "sent", ids[2]: "sent"}
    assert stored(sessions, ids[1]).status == "sending" and stored(sessions, ids[1]).rendered_at is None
    assert len(smtp_server.wait_for(2)) == 2


class BreaksOnThird:
    """A sender whose transport dies in an unknown way on its third message (a bug, not an SMTP reply)."""

    def __init__(self, smtp: SmtpSender) -> None:
        self.smtp, self.count = smtp, 0

    async def send(self, message, recipients):  # noqa: ANN001, ANN201
        self.count += 1
        if self.count == 3:
            raise RuntimeError("transport crashed")
        return await self.smtp.send(message, recipients)


def test_a_crash_mid_batch_keeps_what_was_sent_recorded_and_the_rest_claimed(sessions, smtp, smtp_server):
    ids = recorded(sessions, 4)
    with pytest.raises(RuntimeError, match="transport crashed"):
        send_batch(sessions, BreaksOnThird(smtp), ids[0], LATER, letters=lambda: LETTERS, size=10)
    assert len(smtp_server.wait_for(2)) == 2
    assert [stored(sessions, oid).status for oid in ids] == ["sent", "sent", "sending", "sending"]
    # The unknown ones wait for the lease, then are looked for in Sent before a resend (send_outcomes tests).
    with sessions.begin() as session:
        assert session.scalars(select(OutboundMessage.claimed_at).where(OutboundMessage.id.in_(ids[2:]))).all() \
            == [LATER, LATER]
