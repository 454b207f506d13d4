"""A ladder changed through its use case applies from the invoice's next step under the real tick (nothing sent is
sent again), and the preview dates every step on the day the tick takes it."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select

from worker.adapters.letters import LetterSettings
from worker.db.models import Business, Debtor, Invoice, OutboundMessage, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.ladder_rules import step_from_data
from worker.domain.segments import Segment
from worker.usecases.businesses import create_business
from worker.usecases.ladders import set_ladder
from worker.usecases.ladders_preview import SampleInvoice, preview
from worker.usecases.tick import run_tick

AMS = ZoneInfo("Europe/Amsterdam")
LETTERS = LetterSettings("invoices@service.test", "service.test", None)
DUE = date(2027, 1, 12)  # a Tuesday
START = datetime(2027, 1, 4, 10, tzinfo=AMS)
SHORTER = (  # the built-in "new" ladder's firm and last reminders come a week earlier, the final notice goes
    {"name": "courtesy", "offset_days": -3, "template": "courtesy", "tone": "friendly"},
    {"name": "reminder", "offset_days": 2, "template": "reminder", "tone": "friendly"},
    {"name": "firm_reminder", "offset_days": 8, "template": "firm_reminder", "tone": "firm"},
    {"name": "last_reminder", "offset_days": 20, "template": "last_reminder", "tone": "firm",
     "recipients": "general_with_contact_cc", "claims": True},
    {"name": "handoff", "offset_days": 5, "anchor": "previous", "template": None},
)


def _seed(sessions) -> int:
    with sessions.begin() as session:
        business, _ = create_business(session, name="Jansen", senders=["billing@jansen.example"],
                                      from_address="billing@jansen.example", iban="NL91ABNA0417164300",
                                      ingest_address="in@service.test", now=START)
        debtor = Debtor(business_id=business.id, contact_email="ap@klant.example", general_email="info@klant.example",
                        name="Klant", created_at=START)
        session.add(debtor)
        session.flush()
        invoice = Invoice(business_id=business.id, debtor_id=debtor.id, number="2027-001",
                          issue_date=DUE - timedelta(days=30), due_date=DUE, currency="EUR",
                          amount_due=Decimal("100.00"), status="open", reply_token="tok1", parsed={},
                          created_at=START)
        session.add(invoice)
        session.flush()
        return invoice.id


def _tick(sessions, day: date) -> list[str]:
    """The tick at 10:00 on `day`; the steps it recorded (new outbox rows: nothing is really sent here)."""
    before = len(_steps(sessions))
    run_tick(sessions, datetime.combine(day, datetime.min.time().replace(hour=10), AMS), LETTERS,
             lambda _oid, _expired: None)
    return _steps(sessions)[before:]


def _steps(sessions) -> list[str]:
    with sessions.begin() as session:
        return list(session.scalars(select(OutboundMessage.step).order_by(OutboundMessage.id)))


def test_a_changed_ladder_applies_from_the_next_step(sessions):
    invoice_id = _seed(sessions)
    assert _tick(sessions, DUE + timedelta(days=2)) == ["reminder"]  # overdue: the pre-due steps stay behind
    assert _tick(sessions, DUE + timedelta(days=8)) == []  # the built-in firm reminder waits until due + 14
    with sessions.begin() as session:
        business = session.scalars(select(Business)).one()
        set_ladder(session, business, Segment.NEW, "business", tuple(step_from_data(s) for s in SHORTER),
                   who="finance", now=datetime.combine(DUE + timedelta(days=8), datetime.min.time(), AMS))
    # The same moment again: the change woke the invoice, and its next step is the new ladder's.
    assert _tick(sessions, DUE + timedelta(days=8)) == ["firm_reminder"]
    for offset in range(9, 20):
        assert _tick(sessions, DUE + timedelta(days=offset)) == [], offset
    assert _tick(sessions, DUE + timedelta(days=20)) == ["last_reminder"]
    for offset in range(21, 40):
        assert _tick(sessions, DUE + timedelta(days=offset)) == [], offset
    assert _steps(sessions) == ["reminder", "firm_reminder", "last_reminder"]  # nothing sent twice
    with sessions.begin() as session:
        invoice = session.get_one(Invoice, invoice_id)
        assert invoice.status == "handed_off"  # the new ladder's hand-off, 5 days after the last reminder
        kinds = [e.kind for e in session.scalars(select(TimelineEvent).where(TimelineEvent.invoice_id == invoice_id)
                                                 .order_by(TimelineEvent.at, TimelineEvent.id))]
        assert kinds.count(EventKind.LADDER_CHANGED.value) == 1
        handed = session.scalars(select(TimelineEvent.at).where(
            TimelineEvent.invoice_id == invoice_id, TimelineEvent.kind == EventKind.HANDED_OFF.value)).one()
    assert handed.astimezone(AMS).date() == DUE + timedelta(days=25)


def test_the_preview_dates_each_step_on_the_day_the_tick_takes_it(sessions):
    invoice_id = _seed(sessions)
    with sessions.begin() as session:
        business = session.scalars(select(Business)).one()
        invoice = session.get_one(Invoice, invoice_id)
        assert invoice.issue_date is not None and invoice.due_date is not None
        _, schedule = preview(session, business, SampleInvoice(invoice.issue_date, invoice.due_date,
                                                               Decimal("100.00")))
    expected = {s.step.name: s.on for s in schedule}
    assert list(expected) == ["arrival_check", "courtesy", "reminder", "firm_reminder", "last_reminder",
                              "final_notice", "handoff"]
    taken: dict[str, date] = {}
    day = invoice.issue_date
    while day <= DUE + timedelta(days=60):
        for step in _tick(sessions, day):
            taken[step] = day
        day += timedelta(days=1)
    with sessions.begin() as session:
        handed = session.scalars(select(TimelineEvent.at).where(
            TimelineEvent.invoice_id == invoice_id, TimelineEvent.kind == EventKind.HANDED_OFF.value)).one()
    taken["handoff"] = handed.astimezone(AMS).date()
    assert taken == expected
