"""A debtor's claim of payment: recorded as *reported*, holding the ladder for a grace period, never as money."""

from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from worker.db.models import Business, Invoice
from worker.domain.events import EventKind
from worker.domain.sending_window import SendingWindow
from worker.usecases.decision_inputs import sending_window
from worker.usecases.timeline import record_event

# A transfer ordered today reaches the business's account within a few business days.
DEFAULT_GRACE_BUSINESS_DAYS = 5


def _after_business_days(start: date, days: int, window: SendingWindow) -> date:
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() in window.weekdays and day not in window.holidays:
            days -= 1
    return day


def report_payment(session: Session, business: Business, invoice: Invoice, *, amount: Decimal | None,
                   reported_on: date, source: str, sender: str | None, inbound_id: int | None,
                   matched_by: str, now: datetime) -> date:
    """Record the claim on the timeline; reminders wait until the reported date plus the grace period."""
    grace = int(business.settings.get("reported_payment_grace_days", DEFAULT_GRACE_BUSINESS_DAYS))
    hold_until = _after_business_days(reported_on, grace, sending_window(business, now))
    record_event(session, EventKind.PAYMENT_REPORTED, at=now, business_id=invoice.business_id,
                 invoice_id=invoice.id, debtor_id=invoice.debtor_id, inbound_message_id=inbound_id,
                 amount=None if amount is None else str(amount), reported_on=reported_on.isoformat(),
                 hold_until=hold_until.isoformat(), source=source, sender=sender, matched_by=matched_by,
                 note="reported by the customer; not booked until the money is seen")
    return hold_until

