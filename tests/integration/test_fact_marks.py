"""A changed fact marks exactly the invoices whose decision reads it; the tick's own writes mark nothing."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bench.bench_tick import seed
from worker.db.fact_changes import apply_wakes
from worker.db.migrate import upgrade
from worker.db.models import RECOMPUTE, Business, Debtor, Invoice, NextActionWake
from worker.db.session import make_engine, make_session_factory
from worker.domain.events import EventKind
from worker.usecases.timeline import record_event

LATER = datetime(2027, 2, 1, tzinfo=UTC)


@pytest.fixture
def sessions(any_database_url):
    engine = make_engine(any_database_url)
    upgrade(engine)
    seed(engine, 20, 0)  # one business, four debtors of five open invoices each
    sessions = make_session_factory(engine)
    with sessions.begin() as session:
        session.execute(update(Invoice).values(next_action_at=LATER))
    yield sessions
    engine.dispose()


def marked(sessions) -> set[int]:
    with sessions.begin() as session:
        apply_wakes(session)
        return set(session.scalars(select(Invoice.id).where(Invoice.next_action_at == RECOMPUTE)))


def test_an_event_on_one_invoice_marks_that_invoice(sessions):
    with sessions.begin() as session:
        record_event(session, EventKind.PROMISE_TO_PAY_RECORDED, at=LATER, business_id=1, invoice_id=3,
                     debtor_id=1, promised_date="2027-02-10")
    assert marked(sessions) == {3}


def test_a_debtor_change_marks_its_open_invoices(sessions):
    with sessions.begin() as session:
        session.get_one(Debtor, 2).offline = True
    assert marked(sessions) == {6, 7, 8, 9, 10}


def test_a_status_change_marks_the_invoice_and_its_debtor_s_open_ones(sessions):
    with sessions.begin() as session:
        session.get_one(Invoice, 12).status = "paid"
    assert marked(sessions) == {11, 12, 13, 14, 15}


def test_a_business_setting_marks_all_its_invoices(sessions):
    with sessions.begin() as session:
        business = session.get_one(Business, 1)
        business.settings = {**business.settings, "country": "BE"}
    assert marked(sessions) == set(range(1, 21))


def test_the_tick_s_own_column_and_unread_columns_mark_nothing(sessions):
    with sessions.begin() as session:
        session.get_one(Invoice, 4).next_action_at = LATER + timedelta(days=1)
        session.get_one(Invoice, 5).status_reason = "a note"
        session.get_one(Debtor, 3).letter_tone = "informal"
    assert marked(sessions) == set()
    with sessions.begin() as session:
        assert session.scalar(select(func.count()).select_from(NextActionWake)) == 0
