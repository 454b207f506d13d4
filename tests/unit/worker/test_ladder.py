"""The ladder decision: which step is due when, and why nothing is."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from worker.domain.ladder import DEFAULT_LADDER, InvoiceFacts, LadderPolicy, NothingDue, StepDue, decide
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus

DUE = date(2027, 1, 15)  # a Friday
POLICY = LadderPolicy(window=SendingWindow(holidays=frozenset({date(2027, 4, 26)})))


def facts(status=InvoiceStatus.OPEN, sent=(), last=None, open_amount="100.00", due=DUE):
    return InvoiceFacts(status, due, Decimal(open_amount), frozenset(sent), last)


def at(day: date, hour: int = 10) -> datetime:
    # 10:00 Amsterdam in winter is 09:00 UTC
    return datetime(day.year, day.month, day.day, hour - 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("day", "sent", "expected"),
    [
        (DUE - timedelta(days=4), (), None),
        (DUE - timedelta(days=3), (), "courtesy"),
        (DUE + timedelta(days=3), ("courtesy",), "reminder"),  # the 16th is Saturday: Monday the 18th
        (DUE + timedelta(days=3), ("courtesy", "reminder"), None),
        (DUE + timedelta(days=14), ("courtesy", "reminder"), "firm_reminder"),
        (DUE + timedelta(days=28), ("courtesy", "reminder", "firm_reminder"), "last_reminder"),
        (DUE + timedelta(days=35), ("courtesy", "reminder", "firm_reminder", "last_reminder"), "handoff"),
        # an invoice that arrives late starts at the highest step already due, skipping the rest
        (DUE + timedelta(days=17), (), "firm_reminder"),
    ],
)
def test_step_due_on_day(day, sent, expected):
    decision = decide(facts(sent=sent), at(day), POLICY)
    if expected is None:
        assert isinstance(decision, NothingDue)
    else:
        assert isinstance(decision, StepDue) and decision.step.name == expected


@pytest.mark.parametrize("status", [s for s in InvoiceStatus if s is not InvoiceStatus.OPEN])
def test_no_step_unless_open(status):
    decision = decide(facts(status=status), at(DUE + timedelta(days=30)), POLICY)
    assert isinstance(decision, NothingDue) and status.value in decision.reason


def test_nothing_when_fully_paid():
    assert decide(facts(open_amount="0"), at(DUE + timedelta(days=30)), POLICY) == NothingDue("nothing left to pay")


def test_weekend_waits_for_monday_morning():
    saturday = date(2027, 1, 16)
    decision = decide(facts(sent=("courtesy",)), at(saturday), POLICY)
    assert isinstance(decision, NothingDue) and decision.reason == "outside the sending window"
    assert decision.next_at == datetime(2027, 1, 18, 7, tzinfo=UTC)  # 08:00 Amsterdam


def test_holiday_is_not_a_sending_day():
    # 26 April 2027 (a Monday) is listed as a holiday in POLICY
    decision = decide(facts(sent=("courtesy",), due=date(2027, 4, 20)), datetime(2027, 4, 26, 9, tzinfo=UTC), POLICY)
    assert isinstance(decision, NothingDue) and decision.reason == "outside the sending window"
    assert decision.next_at == datetime(2027, 4, 27, 6, tzinfo=UTC)  # 08:00 summer time the next day


def test_a_late_invoice_gets_the_last_letter_before_it_is_handed_off():
    decision = decide(facts(), at(DUE + timedelta(days=60)), POLICY)
    assert isinstance(decision, StepDue) and decision.step.name == "last_reminder"


def test_minimum_gap_between_messages():
    last = at(DUE + timedelta(days=12))
    decision = decide(facts(sent=("courtesy", "reminder"), last=last), at(DUE + timedelta(days=14)), POLICY)
    assert isinstance(decision, NothingDue) and decision.reason == "too soon after the previous message"
    assert decision.next_at == last + POLICY.min_gap


@given(
    days=st.lists(st.integers(min_value=-10, max_value=60), min_size=1, max_size=40),
    hours=st.lists(st.integers(min_value=0, max_value=23), min_size=1, max_size=40),
)
def test_walking_the_clock_never_repeats_a_step_nor_sends_outside_the_window(days, hours):
    sent: list[str] = []
    last = None
    for offset, hour in zip(sorted(days), hours, strict=False):
        now = datetime.combine(DUE + timedelta(days=offset), datetime.min.time(), UTC) + timedelta(hours=hour)
        decision = decide(facts(sent=sent, last=last), now, POLICY)
        if isinstance(decision, StepDue):
            assert decision.step.name not in sent
            if decision.step.template:
                assert POLICY.window.is_open(now)
            if last is not None:
                assert now - last >= POLICY.min_gap
            sent.append(decision.step.name)
            last = now
    order = [s.name for s in DEFAULT_LADDER]
    assert [order.index(s) for s in sent] == sorted(order.index(s) for s in sent)
