"""A thank-you after an on-time payment (template `thank_you`), when the business wants one."""

from datetime import date

from worker.domain.segments import TOLERANCE_DAYS
from worker.domain.step import Step

THANK_YOU = Step("thank_you", 0, "thank_you", tone="friendly")


def thank_you_due(due_date: date, paid_on: date, already_thanked: bool, enabled: bool) -> bool:
    """Thank once for a payment that came in by the due date (plus the booking tolerance)."""
    return enabled and not already_thanked and (paid_on - due_date).days <= TOLERANCE_DAYS
