"""Promises, pauses, disputes, payment plans, part payments and closed invoices, table by table."""

from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from tests.unit.domain.ledger import AMSTERDAM, Invoice, Ledger, mornings
from worker.domain.facts import InvoiceFacts
from worker.domain.ladder import NothingDue, StepDue, decide
from worker.domain.payment_plan import Instalment, PaymentPlan
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import Segment
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus
from worker.domain.step import SentStep

POLICY = policy_for(Segment.OCCASIONALLY_LATE, consumer=False, window=SendingWindow())
DUE = date(2027, 9, 1)  # Wednesday; ladder: courtesy -3, reminder +1, firm +14, last +28, final +35


def at(day: date) -> datetime:
    return datetime.combine(day, time(10), AMSTERDAM)


def sent(*pairs: tuple[str, date]) -> dict:
    history = tuple(SentStep(name, at(day)) for name, day in pairs)
    return dict(sent_steps=frozenset(n for n, _ in pairs), sent_history=history,
                last_message_at=max((h.at for h in history), default=None))


def facts(**kw) -> InvoiceFacts:
    base = dict(status=InvoiceStatus.OPEN, due_date=DUE, open_amount=Decimal("500.00"),
                issue_date=date(2027, 8, 2), **sent(("courtesy", date(2027, 8, 30)), ("reminder", date(2027, 9, 2))))
    base.update(kw)
    return InvoiceFacts(**base)


@pytest.mark.parametrize(
    ("status", "reason"),
    [(InvoiceStatus.PAID, "invoice is paid"), (InvoiceStatus.CREDITED, "invoice is credited"),
     (InvoiceStatus.WRITTEN_OFF, "invoice is written_off"), (InvoiceStatus.DISPUTED, "invoice is disputed"),
     (InvoiceStatus.HANDED_OFF, "invoice is handed_off")],
)
def test_closed_and_disputed_invoices_never_get_a_message(status, reason):
    assert decide(facts(status=status), at(date(2027, 9, 15)), POLICY) == NothingDue(reason)


def test_part_payment_changes_the_amount_asked():
    decision = decide(facts(open_amount=Decimal("120.50")), at(date(2027, 9, 15)), POLICY)
    assert isinstance(decision, StepDue) and decision.step.name == "firm_reminder"
    assert decision.amount == Decimal("120.50")


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2027, 9, 15), None),  # firm reminder would be due, but the debtor promised to pay by the 17th
        (date(2027, 9, 20), None),  # promise + 3 days' grace: the 20th is the last day of grace
        (date(2027, 9, 21), "firm_reminder"),  # resumes with the next step, not a jump
        (date(2027, 10, 4), "firm_reminder"),
    ],
)
def test_promise_pauses_until_the_promised_date_plus_grace(today, expected):
    decision = decide(facts(promise_until=date(2027, 9, 17), promises=1), at(today), POLICY)
    if expected is None:
        assert isinstance(decision, NothingDue) and "promised to pay by 2027-09-17" in decision.reason
        assert decision.next_at == at(date(2027, 9, 21)).replace(hour=8)
    else:
        assert isinstance(decision, StepDue) and decision.step.name == expected and not decision.ask_for_proof


def test_after_a_broken_promise_the_ladder_keeps_its_spacing():
    """Firm reminder (due +14) moved to the resume date 21 Sept; the last reminder keeps its 14 days after."""
    ledger_facts = facts(promise_until=date(2027, 9, 17), promises=1,
                         **sent(("courtesy", date(2027, 8, 30)), ("reminder", date(2027, 9, 2)),
                                ("firm_reminder", date(2027, 9, 21))))
    assert isinstance(decide(ledger_facts, at(date(2027, 9, 29)), POLICY), NothingDue)  # +28 would be the 29th
    decision = decide(ledger_facts, at(date(2027, 10, 5)), POLICY)
    assert isinstance(decision, StepDue) and decision.step.name == "last_reminder"
    assert isinstance(decide(ledger_facts, at(date(2027, 10, 4)), POLICY), NothingDue)


def test_second_promise_asks_for_proof():
    waiting = decide(facts(promise_until=date(2027, 9, 17), promises=2), at(date(2027, 9, 16)), POLICY)
    assert isinstance(waiting, NothingDue) and "copy of the transfer" in waiting.reason
    decision = decide(facts(promise_until=date(2027, 9, 17), promises=2), at(date(2027, 9, 21)), POLICY)
    assert isinstance(decision, StepDue) and decision.ask_for_proof


def test_resolved_dispute_resumes_on_the_given_date():
    """A dispute stops the invoice (status DISPUTED); once resolved the caller reopens it with `paused_until`."""
    during = decide(facts(status=InvoiceStatus.DISPUTED), at(date(2027, 10, 1)), POLICY)
    assert during == NothingDue("invoice is disputed")
    resolved = facts(paused_until=date(2027, 10, 11))
    assert isinstance(decide(resolved, at(date(2027, 10, 8)), POLICY), NothingDue)
    decision = decide(resolved, at(date(2027, 10, 11)), POLICY)
    assert isinstance(decision, StepDue) and decision.step.name == "firm_reminder"


PLAN = PaymentPlan((Instalment(date(2027, 9, 20), Decimal("200")), Instalment(date(2027, 10, 20), Decimal("300"))))


@pytest.mark.parametrize(
    ("today", "paid", "expected"),
    [
        (date(2027, 9, 15), "0", None),  # the plan replaces the firm reminder due on the 15th
        (date(2027, 9, 17), "0", "instalment_1"),  # 3 days before the first instalment
        (date(2027, 9, 23), "0", "instalment_1"),  # last day of grace: its reminder had not gone out yet
        (date(2027, 9, 24), "0", "firm_reminder"),  # missed: the ladder resumes
        (date(2027, 9, 24), "200", None),  # kept
        (date(2027, 10, 18), "200", "instalment_2"),
        (date(2027, 10, 18), "150", "firm_reminder"),  # instalment 1 only partly paid and past grace
        (date(2027, 11, 30), "500", None),  # plan complete
    ],
)
def test_payment_plan(today, paid, expected):
    plan = replace(PLAN, paid=Decimal(paid))
    decision = decide(facts(plan=plan, open_amount=Decimal("500") - Decimal(paid)), at(today), POLICY)
    if expected is None:
        assert isinstance(decision, NothingDue)
    else:
        assert isinstance(decision, StepDue) and decision.step.name == expected


def test_instalment_reminder_asks_for_the_instalment_by_its_due_date():
    decision = decide(facts(plan=replace(PLAN, paid=Decimal("200"))), at(date(2027, 10, 18)), POLICY)
    assert isinstance(decision, StepDue)
    assert (decision.step.template, decision.amount, decision.deadline) == (
        "instalment_reminder", Decimal("300"), date(2027, 10, 20))


def test_plan_walked_by_the_clock():
    """A plan of two instalments: both reminded, the second missed, the ladder resumes with the firm reminder."""
    ledger = Ledger({1: POLICY})
    ledger.add(Invoice(1, 1, date(2027, 8, 2), DUE, Decimal("500")))
    for now in mornings(date(2027, 8, 2), date(2027, 11, 30)):
        if now.date() == date(2027, 9, 10):
            ledger.invoices[1].plan = PLAN  # agreed after the friendly reminder
        if now.date() == date(2027, 9, 19):
            ledger.invoices[1].paid = Decimal("200")
        ledger.tick(now)
    assert [(s.step, s.on.isoformat()) for s in ledger.log] == [
        ("courtesy", "2027-08-30"),  # due Wed 1 Sept; -3 is a Sunday
        ("reminder", "2027-09-06"),  # +1, then the 5-day gap ends on a Saturday
        ("instalment_1", "2027-09-17"),
        ("instalment_2", "2027-10-18"),
        ("firm_reminder", "2027-10-25"),  # instalment 2 (20 Oct) missed; grace to the 23rd; Sunday the 24th closed
        ("last_reminder", "2027-11-08"),
        ("final_notice", "2027-11-15"),
        ("handoff", "2027-11-23"),
    ]
    assert ledger.log[-2].total == Decimal("300")
