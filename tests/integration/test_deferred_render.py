"""The tick records decisions only; the send job renders each letter (at its decision time) under its claim,
a broken letter goes to review alone, and a burst over the send rate waits instead of failing."""

import secrets
from datetime import date, timedelta
from decimal import Decimal
from email import message_from_bytes, policy

import pytest
from redis import Redis
from sqlalchemy import select

from tests.integration.reminder_day import LETTERS, NOW, decide, stored
from worker.adapters.send_rate import SendRate
from worker.db.models import Business, Debtor, Invoice, OutboundMessage, TimelineEvent
from worker.db.template_models import LetterTemplate
from worker.domain.events import EventKind
from worker.usecases.businesses import create_business
from worker.usecases.render_outbound import ensure_rendered
from worker.usecases.send import send_outbound

pytestmark = pytest.mark.integration


@pytest.fixture
def rate_prefix(redis_url):
    """Buckets of this test only (the session's Redis database is shared, never flushed here)."""
    client = Redis.from_url(redis_url)
    prefix = f"test-send-rate:{secrets.token_hex(4)}"
    yield client, prefix
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)
    client.close()


def seed(sessions, debtors: int = 1) -> list[int]:
    """`debtors` debtors at one domain, each with one invoice due two days ago; their invoice ids."""
    with sessions.begin() as session:
        business, _ = create_business(session, name="Jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300", now=NOW)
        business.settings = {**business.settings, "thank_you": False}
        ids = []
        for n in range(debtors):
            debtor = Debtor(business_id=business.id, contact_email=f"ap{n}@klant.example", name=f"Klant {n}",
                            created_at=NOW)
            session.add(debtor)
            session.flush()
            invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number=f"F-{n}",
                              issue_date=date(2026, 12, 13), due_date=date(2027, 1, 12), currency="EUR",
                              amount_due=Decimal("121.00"), amount_paid=Decimal(0), status="open",
                              reply_token=f"tok{n}", parsed={}, created_at=NOW)
            session.add(invoice)
            session.flush()
            ids.append(invoice.id)
        return ids


def test_the_tick_records_and_the_send_job_renders_at_the_decision_time(sessions, smtp, smtp_server):
    seed(sessions)
    [outbound_id] = decide(sessions)
    recorded = stored(sessions, outbound_id)
    assert (recorded.raw, recorded.subject, recorded.rendered_at) == (b"", "", None)
    assert recorded.render_context["step"]["name"] == "reminder" and recorded.to_addresses == ["ap0@klant.example"]
    later = NOW + timedelta(hours=3)
    assert send_outbound(sessions, smtp, outbound_id, later, letters=lambda: LETTERS) == "sent"
    sent = stored(sessions, outbound_id)
    assert sent.rendered_at == later and sent.subject and "F-0" in sent.subject
    message = message_from_bytes(smtp_server.wait_for(1)[0].raw, policy=policy.default)
    assert message["Message-ID"] == recorded.message_id  # named at the decision, before any rendering
    assert message["Date"].datetime == NOW  # made as of the decision, however late it is rendered
    assert str(message["To"]) == "ap0@klant.example"


def test_a_second_render_makes_the_same_letter(sessions):
    seed(sessions)
    [outbound_id] = decide(sessions)
    assert ensure_rendered(sessions, outbound_id, LETTERS, NOW + timedelta(minutes=1))
    first = stored(sessions, outbound_id)
    with sessions.begin() as session:  # as if the first render's worker died before it stored the letter
        session.get_one(OutboundMessage, outbound_id).rendered_at = None
    assert ensure_rendered(sessions, outbound_id, LETTERS, NOW + timedelta(days=2))
    second = stored(sessions, outbound_id)

    def parts(raw: bytes):
        message = message_from_bytes(raw, policy=policy.default)
        [docx] = message.iter_attachments()
        return (message["Subject"], message["Date"], message["Message-ID"],
                message.get_body(("plain",)).get_content(), docx.get_filename())
    assert parts(first.raw) == parts(second.raw)


def test_a_broken_template_stops_only_its_own_letter_at_send_time(sessions, smtp, smtp_server):
    broken_invoice, fine_invoice = seed(sessions, debtors=2)
    with sessions.begin() as session:
        debtor_id = session.get_one(Invoice, broken_invoice).debtor_id
        session.add(LetterTemplate(business_id=session.scalars(select(Business.id)).one(), debtor_id=debtor_id,
                                   name="reminder", language="nl", version=1, docx=b"not a docx", uploaded_at=NOW,
                                   uploaded_by="before the checks", active=True))
    recorded = decide(sessions)
    assert len(recorded) == 2  # the tick no longer opens templates: both decisions are recorded
    statuses = [send_outbound(sessions, smtp, oid, NOW, letters=lambda: LETTERS) for oid in recorded]
    assert sorted(statuses) == ["cancelled", "sent"]
    with sessions.begin() as session:
        assert session.get_one(Invoice, broken_invoice).status == "review"
        assert session.get_one(Invoice, fine_invoice).status == "open"
        [failed] = session.scalars(select(TimelineEvent).where(
            TimelineEvent.kind == EventKind.LETTER_FAILED.value)).all()
    assert failed.invoice_id == broken_invoice and failed.data["step"] == "reminder"
    assert [m.rcpt_tos for m in smtp_server.wait_for(1)] == [["ap1@klant.example"]]


def test_a_burst_over_the_domain_rate_waits_without_counting_an_attempt(sessions, smtp, smtp_server, rate_prefix):
    seed(sessions, debtors=3)
    recorded = decide(sessions)
    rate = SendRate(rate_prefix[0], per_business=0, per_domain=1, prefix=rate_prefix[1])  # a bucket of one
    statuses = [send_outbound(sessions, smtp, oid, NOW, letters=lambda: LETTERS, rate=rate) for oid in recorded]
    assert statuses == ["sent", "pending", "pending"]
    waiting = [stored(sessions, oid) for oid in recorded[1:]]
    assert all(w.attempts == 0 and w.last_error is None for w in waiting)  # deferred, not failed
    # Spread out at the rate, each told its own minute (not all of them back at once to find it empty again).
    assert [w.next_attempt_at for w in waiting] == [NOW + timedelta(minutes=1), NOW + timedelta(minutes=2)]
    later = NOW + timedelta(minutes=1)  # the clock moved; nobody slept
    assert [send_outbound(sessions, smtp, oid, later, letters=lambda: LETTERS, rate=rate)
            for oid in recorded[1:]] == ["sent", "pending"]  # the last one's minute has not come yet
    assert stored(sessions, recorded[2]).next_attempt_at == NOW + timedelta(minutes=2)
    assert send_outbound(sessions, smtp, recorded[2], NOW + timedelta(minutes=2), letters=lambda: LETTERS,
                         rate=rate) == "sent"
    assert len(smtp_server.wait_for(3)) == 3


def test_the_business_rate_is_shared_by_all_its_recipients(rate_prefix):
    rate = SendRate(rate_prefix[0], per_business=6, per_domain=0, prefix=rate_prefix[1])  # 0.1/s, a burst of one
    assert rate.wait(1, ["a@one.example"], NOW, "m1") == 0
    assert rate.wait(1, ["b@two.example"], NOW, "m2") == pytest.approx(10)
    assert rate.wait(1, ["c@three.example"], NOW, "m3") == pytest.approx(20)
    assert rate.wait(2, ["b@two.example"], NOW, "m4") == 0  # another business has its own bucket
    assert rate.wait(1, ["b@two.example"], NOW + timedelta(seconds=5), "m2") == pytest.approx(5)  # still its time
    assert rate.wait(1, ["b@two.example"], NOW + timedelta(seconds=10), "m2") == 0  # on the token it took
    assert rate.wait(1, ["c@three.example"], NOW + timedelta(seconds=20), "m3") == 0
    assert rate.wait(1, ["d@four.example"], NOW + timedelta(seconds=20), "m5") == pytest.approx(10)


@pytest.mark.parametrize("broken", [False, True])
def test_paper_letters_are_rendered_for_the_print_queue(sessions, broken):
    from worker.usecases.print_queue import letters_to_print, printable_file

    [invoice_id] = seed(sessions)
    with sessions.begin() as session:
        debtor = session.get_one(Debtor, session.get_one(Invoice, invoice_id).debtor_id)
        debtor.offline = True
        if broken:
            session.add(LetterTemplate(business_id=debtor.business_id, debtor_id=debtor.id, name="reminder",
                                       language="nl", version=1, docx=b"not a docx", uploaded_at=NOW,
                                       uploaded_by="before the checks", active=True))
    assert decide(sessions) == []  # paper is never e-mailed
    with sessions.begin() as session:
        [waiting] = letters_to_print(session, 1)  # listed as recorded
        assert waiting.rendered_at is None
        queue = letters_to_print(session, 1, LETTERS, NOW)  # the clerk's view: rendered first
        invoice = session.get_one(Invoice, invoice_id)
        if broken:
            assert queue == [] and invoice.status == "review" and waiting.status == "cancelled"
        else:
            [letter] = queue
            name, kind, data = printable_file(letter)
            assert letter.subject and data[:2] == b"PK" and name.endswith(".docx") and invoice.status == "open"
