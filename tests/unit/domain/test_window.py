"""Sending window, business days and holidays as the decision sees them."""

from datetime import date, datetime, time
from decimal import Decimal

import holidays
import pytest

from tests.unit.domain.ledger import AMSTERDAM
from worker.domain.facts import InvoiceFacts
from worker.domain.ladder import NothingDue, StepDue, decide
from worker.domain.schedule import deadline_after
from worker.domain.segment_ladders import policy_for
from worker.domain.segments import Segment
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus

BE_2027 = frozenset(holidays.country_holidays("BE", years=[2027]).keys())
POLICY = policy_for(Segment.OCCASIONALLY_LATE, False, SendingWindow(timezone="Europe/Brussels", holidays=BE_2027),
                    country="BE")
FACTS = InvoiceFacts(InvoiceStatus.OPEN, date(2027, 7, 19), Decimal("80"), frozenset({"courtesy"}), None)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2027, 7, 20, 7, 59, tzinfo=AMSTERDAM), None),  # before opening
        (datetime(2027, 7, 20, 8, 0, tzinfo=AMSTERDAM), "reminder"),
        (datetime(2027, 7, 20, 17, 59, tzinfo=AMSTERDAM), "reminder"),
        (datetime(2027, 7, 20, 18, 0, tzinfo=AMSTERDAM), None),  # closes at 18:00
        (datetime(2027, 7, 21, 10, 0, tzinfo=AMSTERDAM), None),  # 21 July: Belgian National Day
        (datetime(2027, 7, 24, 10, 0, tzinfo=AMSTERDAM), None),  # Saturday
    ],
)
def test_window_edges_and_belgian_holiday(moment, expected):
    decision = decide(FACTS, moment, POLICY)
    if expected is None:
        assert isinstance(decision, NothingDue) and decision.reason in ("outside the sending window",
                                                                         "next step not due yet")
    else:
        assert isinstance(decision, StepDue) and decision.step.name == expected


def test_after_national_day_the_window_reopens_on_thursday():
    decision = decide(FACTS, datetime(2027, 7, 21, 10, tzinfo=AMSTERDAM), POLICY)
    assert isinstance(decision, NothingDue) and decision.next_at == datetime(2027, 7, 22, 8, tzinfo=AMSTERDAM)


def test_final_notice_deadline_skips_closed_days():
    """Seven days after Tue 14 Dec 2027 is Tue 21 Dec; seven days after Sat 18 Dec would be Christmas
    (a Saturday), so that deadline moves to Monday 27 Dec."""
    sent = frozenset({"courtesy", "reminder", "firm_reminder", "last_reminder"})
    facts = InvoiceFacts(InvoiceStatus.OPEN, date(2027, 11, 1), Decimal("80"), sent, None)
    decision = decide(facts, datetime.combine(date(2027, 12, 14), time(10), AMSTERDAM), POLICY)
    assert isinstance(decision, StepDue) and decision.step.name == "final_notice"
    assert decision.deadline == date(2027, 12, 21)
    assert deadline_after(decision.step, date(2027, 12, 18), facts, POLICY) == date(2027, 12, 27)


def test_belgian_consumer_letter_term():
    """BE consumer, offline debtor: the first reminder by post starts its 14 days on the 3rd working day."""
    policy = policy_for(Segment.OCCASIONALLY_LATE, True, POLICY.window, country="BE")
    facts = InvoiceFacts(InvoiceStatus.OPEN, date(2027, 7, 1), Decimal("80"), frozenset({"courtesy", "reminder"}),
                         None, offline=True)
    decision = decide(facts, datetime(2027, 7, 15, 10, tzinfo=AMSTERDAM), policy)
    assert isinstance(decision, StepDue) and decision.step.name == "fourteen_day_letter"
    # posted Thu 15 July; working days Fri 16, Mon 19, Tue 20 -> 14 days from 20 July end on 2 August
    assert decision.channel == "letter" and decision.deadline == date(2027, 8, 2)
