"""One message per debtor per step, all of that debtor's invoices due for the step in it."""

from datetime import date, datetime, time
from decimal import Decimal

from tests.unit.domain.ledger import AMSTERDAM
from worker.domain.facts import InvoiceFacts
from worker.domain.grouping import DebtorInvoice, group_due
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import Segment
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus

POLICY = policy_for(Segment.OCCASIONALLY_LATE, consumer=False, window=SendingWindow())
NOW = datetime.combine(date(2027, 9, 15), time(10), AMSTERDAM)  # Wednesday


def item(debtor: int, invoice: int, due: date, amount: str = "100", sent=(), status=InvoiceStatus.OPEN,
         last: datetime | None = None) -> DebtorInvoice:
    facts = InvoiceFacts(status, due, Decimal(amount), frozenset(sent), None, debtor_last_message_at=last)
    return DebtorInvoice(debtor, invoice, facts, POLICY)


def test_invoices_of_one_debtor_at_the_same_step_share_one_message():
    batch = group_due([item(1, 10, date(2027, 9, 13), "100"), item(1, 11, date(2027, 9, 14), "250.50"),
                       item(2, 20, date(2027, 9, 14), "75")], NOW)
    assert [(m.debtor_id, m.step.name, m.invoice_ids, m.total) for m in batch.messages] == [
        (1, "reminder", (10, 11), Decimal("350.50")), (2, "reminder", (20,), Decimal("75"))]
    assert batch.held == ()


def test_one_message_per_debtor_per_tick_the_most_advanced_step_first():
    batch = group_due([item(1, 10, date(2027, 9, 1), sent=("courtesy", "reminder")),  # firm reminder
                       item(1, 11, date(2027, 9, 14))], NOW)  # friendly reminder
    assert [(m.step.name, m.invoice_ids) for m in batch.messages] == [("firm_reminder", (10,))]
    assert [(h.invoice_id, h.step.name) for h in batch.held] == [(11, "reminder")]
    assert "minimum gap" in batch.held[0].reason


def test_paid_and_disputed_invoices_stay_out_of_the_message():
    batch = group_due([item(1, 10, date(2027, 9, 14)), item(1, 11, date(2027, 9, 14), status=InvoiceStatus.PAID),
                       item(1, 12, date(2027, 9, 14), status=InvoiceStatus.DISPUTED)], NOW)
    assert [m.invoice_ids for m in batch.messages] == [(10,)]


def test_the_minimum_gap_is_per_debtor():
    recently = datetime.combine(date(2027, 9, 13), time(10), AMSTERDAM)
    batch = group_due([item(1, 10, date(2027, 9, 14), last=recently), item(2, 20, date(2027, 9, 14))], NOW)
    assert [m.debtor_id for m in batch.messages] == [2]


def test_handoff_is_an_action_not_a_message():
    all_letters = ("courtesy", "reminder", "firm_reminder", "last_reminder", "final_notice")
    batch = group_due([item(1, 10, date(2027, 7, 1), sent=all_letters), item(1, 11, date(2027, 9, 14))], NOW)
    assert [(h.step.name, h.invoice_ids) for h in batch.handoffs] == [("handoff", (10,))]
    assert [m.step.name for m in batch.messages] == ["reminder"]


def test_an_invoice_whose_step_comes_within_two_sending_days_rides_along():
    friday = datetime.combine(date(2027, 9, 10), time(10), AMSTERDAM)
    batch = group_due([item(1, 10, date(2027, 9, 13)),  # courtesy due today (-3)
                       item(1, 11, date(2027, 9, 16)),  # courtesy on Monday the 13th: taken along
                       item(1, 12, date(2027, 9, 17)),  # courtesy on Tuesday, the 2nd sending day: taken too
                       item(1, 13, date(2027, 9, 18))], friday)  # courtesy on Wednesday: waits
    assert [(m.step.name, m.invoice_ids) for m in batch.messages] == [("courtesy", (10, 11, 12))]


def test_a_reminder_after_due_is_never_pulled_before_the_due_date():
    batch = group_due([item(1, 10, date(2027, 9, 13)),  # overdue: its reminder (+1) is due today
                       item(1, 11, date(2027, 9, 15))], NOW)  # due today: its reminder may not come early
    assert [(m.step.name, m.invoice_ids) for m in batch.messages] == [("reminder", (10,))]
