"""Segments from payment behaviour: days late, share late and trend give a score and a segment."""

from datetime import date, timedelta

import pytest

from worker.domain.segments import PaymentRecord, Segment, assess

TODAY = date(2027, 6, 1)


def history(*days_late: int | None) -> list[PaymentRecord]:
    """Monthly invoices, oldest first; None is still unpaid."""
    out = []
    for i, late in enumerate(days_late):
        due = date(2026, 1, 15) + timedelta(days=30 * i)
        out.append(PaymentRecord(due, None if late is None else due + timedelta(days=late)))
    return out


@pytest.mark.parametrize(
    ("late", "segment"),
    [
        ((), Segment.NEW),
        ((0, 0), Segment.NEW),  # too little history
        ((0, -2, 1, 0, 3, 0), Segment.ON_TIME),  # within the 3-day booking tolerance
        ((0, 0, 0, 0, 0, 0, 0, 0, 0, 10), Segment.ON_TIME),  # one slip is not a habit
        ((0, 0, 0, 0, 0, 0, 0, 0, 10, 12), Segment.OCCASIONALLY_LATE),  # two recent slips
        ((12, 0, 0, 0, 0, 0, 0, 0, 0, 0), Segment.ON_TIME),  # one old slip, good since
        ((0, 9, 0, 15, 0, 0), Segment.OCCASIONALLY_LATE),
        ((20, 35, 15, 40, 30, 25), Segment.CHRONICALLY_LATE),
        ((0, 0, 5, 20, 30, 45), Segment.CHRONICALLY_LATE),  # getting worse fast
    ],
)
def test_segment(late, segment):
    assert assess(history(*late), TODAY).segment is segment


def test_measures_and_score():
    b = assess(history(0, 0, 10, 20), TODAY)
    assert (b.invoices, b.average_days_late, b.share_late, b.trend_days) == (4, 7.5, 0.5, 15.0)
    # 100 - 50 * 0.5 - 35 * 7.5 / 60 - 15 * 15 / 30 = 63.125
    assert (b.score, b.segment) == (63, Segment.OCCASIONALLY_LATE)


def test_open_overdue_invoices_count_as_late_so_far():
    b = assess(history(0, 0, 0, None), date(2026, 4, 30))  # the 4th fell due 2026-04-15: 15 days late so far
    assert b.share_late == 0.25 and b.average_days_late == 3.8


def test_invoices_not_yet_due_do_not_count():
    records = history(0, 0, 0) + [PaymentRecord(TODAY + timedelta(days=10), None)]
    assert assess(records, TODAY).invoices == 3
