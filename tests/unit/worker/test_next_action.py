"""The next moment the tick must look at an invoice is never later than a step falls due (earlier is harmless)."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from worker.domain.facts import InvoiceFacts
from worker.domain.ladder import StepDue, decide
from worker.domain.next_action import (
    THANK_WITHIN,
    bring_forward,
    next_action_at,
    segment_look_again,
    thank_you_at,
)
from worker.domain.payment_plan import Instalment, PaymentPlan
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import PaymentRecord, Segment, assess
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus
from worker.domain.step import SentStep

START = datetime(2027, 3, 1, tzinfo=UTC)
WINDOW = SendingWindow(holidays=frozenset({date(2027, 4, 5)}))
LOOK_AHEAD = timedelta(days=70)


@st.composite
def cases(draw):
    now = START + timedelta(hours=draw(st.integers(0, 24 * 40)), minutes=draw(st.sampled_from([0, 17, 30])))
    policy = policy_for(draw(st.sampled_from(list(Segment))), draw(st.booleans()), WINDOW,
                        draw(st.sampled_from(["NL", "BE"])))
    due = now.date() + timedelta(days=draw(st.integers(-60, 40)))
    sent_count = draw(st.integers(0, len(policy.steps)))
    sent_days = sorted(draw(st.lists(st.integers(1, 50), min_size=sent_count, max_size=sent_count)), reverse=True)
    history = tuple(SentStep(step.name, now - timedelta(days=d, hours=3))
                    for step, d in zip(policy.steps[:sent_count], sent_days, strict=True))
    debtor_last = draw(st.one_of(st.none(), st.integers(0, 24 * 10).map(lambda h: now - timedelta(hours=h))))
    promise = draw(st.one_of(st.none(), st.integers(-10, 20).map(lambda d: now.date() + timedelta(days=d))))
    paused = draw(st.one_of(st.none(), st.integers(-10, 20).map(lambda d: now.date() + timedelta(days=d))))
    plan = None
    if draw(st.booleans()):
        firsts = draw(st.integers(-20, 20))
        plan = PaymentPlan(tuple(Instalment(now.date() + timedelta(days=firsts + 14 * n), Decimal("50"))
                                 for n in range(draw(st.integers(1, 3)))),
                           paid=Decimal(draw(st.sampled_from([0, 25, 50, 100]))))
    plan_sent = {f"instalment_{n}" for n in range(1, 4) if draw(st.booleans())} if plan else set()
    facts = InvoiceFacts(
        status=draw(st.sampled_from([InvoiceStatus.OPEN] * 5 + [InvoiceStatus.PAID, InvoiceStatus.DISPUTED])),
        due_date=due, open_amount=Decimal(draw(st.sampled_from([0, 150, 150, 150]))),
        sent_steps=frozenset(s.name for s in history) | plan_sent,
        last_message_at=max((s.at for s in history), default=None), issue_date=due - timedelta(days=30),
        sent_history=history, debtor_last_message_at=debtor_last, offline=draw(st.booleans()),
        promise_until=promise, promises=draw(st.integers(0, 3)) if promise else 0, paused_until=paused, plan=plan,
        term_letter_by_post=draw(st.booleans()))
    return facts, now, policy


@settings(max_examples=250, deadline=None)
@given(cases())
def test_no_step_falls_due_before_the_moment(case):
    facts, now, policy = case
    moment = next_action_at(facts, now, policy)
    assert moment is None or moment >= now
    if isinstance(decide(facts, now, policy), StepDue):
        assert moment == now
        return
    t = now + timedelta(minutes=1)
    end = now + LOOK_AHEAD if moment is None else min(moment, now + LOOK_AHEAD)
    while t < end:
        assert not isinstance(decide(facts, t, policy), StepDue), (t, moment)
        t += timedelta(hours=1) if t.minute == 0 else timedelta(minutes=60 - t.minute)


def test_a_sent_instalment_reminder_wakes_the_invoice_when_the_plan_can_break():
    now = datetime(2027, 3, 2, 9, tzinfo=UTC)
    policy = policy_for(Segment.NEW, False, WINDOW)
    plan = PaymentPlan((Instalment(date(2027, 3, 4), Decimal("50")), Instalment(date(2027, 4, 4), Decimal("50"))))
    facts = InvoiceFacts(InvoiceStatus.OPEN, date(2027, 1, 1), Decimal("100"), frozenset({"instalment_1"}), None,
                         plan=plan)
    moment = next_action_at(facts, now, policy)
    assert moment == WINDOW.start_of(date(2027, 3, 4) + timedelta(days=policy.plan_grace_days + 1))


def test_nothing_happens_by_time_to_a_paid_or_exhausted_invoice():
    now = datetime(2027, 3, 2, 9, tzinfo=UTC)
    policy = policy_for(Segment.NEW, False, WINDOW)
    paid = InvoiceFacts(InvoiceStatus.PAID, date(2027, 1, 1), Decimal("0"), frozenset(), None)
    assert next_action_at(paid, now, policy) is None
    every = frozenset(s.name for s in policy.steps)
    done = InvoiceFacts(InvoiceStatus.OPEN, date(2026, 10, 1), Decimal("10"), every, now - timedelta(days=30),
                        sent_history=tuple(SentStep(n, now - timedelta(days=30)) for n in every))
    assert next_action_at(done, now, policy) is None


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(-80, 30), st.one_of(st.none(), st.integers(-10, 40))), max_size=8))
def test_the_segment_never_changes_before_the_day_to_look_again(records):
    today = date(2027, 3, 1)
    history = [PaymentRecord(today + timedelta(days=d), None if p is None else today + timedelta(days=d + p))
               for d, p in records if p is None or d + p <= 0]
    look = segment_look_again(history, today)
    current = assess(history, today).segment
    last = look or today + timedelta(days=90)
    day = today + timedelta(days=1)
    while day < last:
        assert assess(history, day).segment is current, day
        day += timedelta(days=1)
    moment = datetime(2027, 5, 1, tzinfo=UTC)
    brought = bring_forward(moment, look, datetime(2027, 3, 1, 9, tzinfo=UTC), WINDOW)
    assert brought is not None and brought <= moment


def test_a_thank_you_waits_for_the_window_and_lapses():
    paid_at = datetime(2027, 3, 6, 20, tzinfo=UTC)  # a Saturday evening
    moment = thank_you_at(date(2027, 3, 10), date(2027, 3, 6), paid_at, False, True, paid_at, WINDOW)
    assert moment == WINDOW.next_opening(paid_at) and moment > paid_at
    assert thank_you_at(date(2027, 3, 10), date(2027, 3, 6), paid_at, True, True, paid_at, WINDOW) is None
    assert thank_you_at(date(2027, 3, 1), date(2027, 3, 6), paid_at, False, True, paid_at, WINDOW) is None
    assert thank_you_at(date(2027, 3, 10), date(2027, 3, 6), paid_at, False, True,
                        paid_at + THANK_WITHIN + timedelta(hours=1), WINDOW) is None
