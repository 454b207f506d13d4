"""Explanations: what happens next and when, and why a step was or was not sent."""

from dataclasses import replace
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest

from tests.unit.domain.ledger import AMSTERDAM
from worker.domain.explain import explain
from worker.domain.facts import InvoiceFacts
from worker.domain.ladder import StepDue, decide
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import Segment
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus
from worker.domain.step import SentStep

POLICY = policy_for(Segment.OCCASIONALLY_LATE, consumer=False, window=SendingWindow())
DUE = date(2027, 9, 1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), AMSTERDAM)


def facts(sent=(), **kw) -> InvoiceFacts:
    history = tuple(SentStep(n, at(d)) for n, d in sent)
    return InvoiceFacts(kw.pop("status", InvoiceStatus.OPEN), DUE, Decimal(kw.pop("open_amount", "500.00")),
                        frozenset(n for n, _ in sent), max((h.at for h in history), default=None),
                        sent_history=history, **kw)


def test_due_now_says_how_to_whom_and_for_how_much():
    e = explain(facts([("courtesy", date(2027, 8, 30)), ("reminder", date(2027, 9, 2))]), at(date(2027, 9, 15)),
                POLICY)
    assert e.next_step == "firm_reminder" and e.next_at == at(date(2027, 9, 15))
    assert "courtesy was sent on 2027-08-30." in e.reasons
    assert e.reasons[-1] == ("firm_reminder is due now: it goes by e-mail to the contact person, "
                             "in a firm tone, asking for 500.00.")
    assert [(s.name, s.state) for s in e.steps][:3] == [("courtesy", "sent"), ("reminder", "sent"),
                                                        ("firm_reminder", "due now")]


def test_not_yet_says_when():
    e = explain(facts([("courtesy", date(2027, 8, 30)), ("reminder", date(2027, 9, 2))]), at(date(2027, 9, 10)),
                POLICY)
    assert e.next_step == "firm_reminder" and e.next_at == at(date(2027, 9, 15), 8)
    assert e.reasons[-1].startswith("Nothing is sent now: next step not due yet. Next: firm_reminder at 2027-09-15")


def test_weekend_and_gap_are_named():
    weekend = explain(facts([("courtesy", date(2027, 8, 30))]), at(date(2027, 9, 11)), POLICY)
    assert "outside the sending window" in weekend.reasons[-1] and weekend.next_at == at(date(2027, 9, 13), 8)
    gap = explain(facts([("courtesy", date(2027, 8, 31))]), at(date(2027, 9, 2)), POLICY)
    # the gap ends on Sunday 5 September: the tick can only send when the window opens on Monday
    assert "too soon after the previous message" in gap.reasons[-1] and gap.next_at == at(date(2027, 9, 6), 8)


def test_paid_promise_and_last_letter_to_the_general_address():
    assert explain(facts(status=InvoiceStatus.PAID), at(date(2027, 9, 15)), POLICY).reasons[0] == (
        "The invoice is paid, so no reminder is sent for it.")
    promised = explain(facts(promise_until=date(2027, 9, 20), promises=1), at(date(2027, 9, 15)), POLICY)
    assert "Reminders are paused: the debtor promised to pay by 2027-09-20" in promised.reasons[1]
    last = explain(facts([("courtesy", date(2027, 8, 30)), ("reminder", date(2027, 9, 2)),
                          ("firm_reminder", date(2027, 9, 15))]), at(date(2027, 9, 29)), POLICY)
    assert "to the debtor's general address with the contact person in CC" in last.reasons[-1]


def test_skipped_steps_are_explained():
    skip_policy = policy_for(Segment.ON_TIME, consumer=False, window=SendingWindow())
    e = explain(facts([("firm_reminder", date(2027, 9, 20))]), at(date(2027, 9, 22)),
                replace(skip_policy, skip_missed=True))
    assert "courtesy was skipped: a later step had already fallen due." in e.reasons


@pytest.mark.parametrize("sent,start", [
    ([("courtesy", date(2027, 8, 27))], date(2027, 8, 28)),  # a Saturday, gap ending on a Wednesday
    ([("courtesy", date(2027, 8, 30)), ("reminder", date(2027, 9, 3))], date(2027, 9, 4)),  # step on a Wednesday
    ([("courtesy", date(2027, 8, 31))], date(2027, 9, 2)),  # the gap ends on a Sunday
    ([], date(2027, 8, 20)),  # before the courtesy note
])
def test_next_at_is_the_first_moment_the_tick_really_sends(sent, start):
    """Explain's promise, checked hour by hour: nothing before next_at, the announced step at next_at."""
    state = facts(sent)
    told = explain(state, at(start), POLICY)
    assert told.next_at is not None and told.summary.startswith("Nothing goes out now because")
    moment = at(start)
    while moment < told.next_at:
        assert not isinstance(decide(state, moment, POLICY), StepDue), moment
        moment += timedelta(hours=1)
    sent_now = decide(state, told.next_at, POLICY)
    assert isinstance(sent_now, StepDue) and sent_now.step.name == told.next_step
    assert explain(state, told.next_at, POLICY).summary.startswith(f"Now the {told.next_step.replace('_', ' ')}")
