"""Payment behaviour of one debtor (days late, share late, trend) as a score and a segment."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

TOLERANCE_DAYS = 3  # a transfer booked a few days after the due date is not "late"
MIN_HISTORY = 3  # fewer settled or overdue invoices than this: the debtor is new
LATE_CAP_DAYS = 60  # beyond two months, more days late do not lower the score further


class Segment(StrEnum):
    NEW = "new"
    ON_TIME = "on_time"
    OCCASIONALLY_LATE = "occasionally_late"
    CHRONICALLY_LATE = "chronically_late"


@dataclass(frozen=True)
class PaymentRecord:
    """One past invoice: when it was due and when it was paid (None: still open)."""

    due_date: date
    paid_on: date | None


@dataclass(frozen=True)
class Behaviour:
    """The measures, the 0-100 score (100: always on time) and the segment they give."""

    invoices: int
    average_days_late: float
    share_late: float
    trend_days: float  # recent half minus older half, in days late; positive means getting worse
    score: int
    segment: Segment


def _days_late(record: PaymentRecord, today: date) -> int:
    end = record.paid_on or today
    return max(0, (end - record.due_date).days)


def assess(history: Sequence[PaymentRecord], today: date) -> Behaviour:
    """Score a debtor from invoices already due by `today` (open ones count as late as they are so far).

    score = 100 - 50 x share late - 35 x average days late (capped at 60) / 60 - 15 x trend (capped at
    +-30 days) / 30, clamped to 0..100. Segment: on time from 90, occasionally late from 60, else chronic.
    """
    settled = sorted((r for r in history if r.due_date < today or r.paid_on is not None), key=lambda r: r.due_date)
    late = [_days_late(r, today) for r in settled]
    n = len(late)
    share = sum(d > TOLERANCE_DAYS for d in late) / n if n else 0.0
    average = sum(late) / n if n else 0.0
    half = n // 2
    older, recent = late[:half], late[half:]
    trend = (sum(recent) / len(recent) - sum(older) / len(older)) if older and recent else 0.0
    raw = (100 - 50 * share - 35 * min(average, LATE_CAP_DAYS) / LATE_CAP_DAYS
           - 15 * max(-30.0, min(30.0, trend)) / 30)
    score = round(max(0.0, min(100.0, raw)))
    if n < MIN_HISTORY:
        segment = Segment.NEW
    elif score >= 90:
        segment = Segment.ON_TIME
    elif score >= 60:
        segment = Segment.OCCASIONALLY_LATE
    else:
        segment = Segment.CHRONICALLY_LATE
    return Behaviour(n, round(average, 1), round(share, 3), round(trend, 1), score, segment)
