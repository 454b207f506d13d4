"""What the ladder decision needs to know about one invoice; built from the database by the caller."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from worker.domain.payment_plan import PaymentPlan
from worker.domain.status import InvoiceStatus
from worker.domain.step import SentStep


@dataclass(frozen=True)
class InvoiceFacts:
    """Facts about one invoice. The fields after `last_message_at` have defaults so older callers keep working."""

    status: InvoiceStatus
    due_date: date
    open_amount: Decimal  # after part payments: every message asks for this
    sent_steps: frozenset[str]
    last_message_at: datetime | None  # our last message to this debtor about this invoice
    issue_date: date | None = None  # anchors checks "a few days after sending"
    sent_history: tuple[SentStep, ...] = ()  # when each sent step went out (for steps relative to the previous)
    debtor_last_message_at: datetime | None = None  # our last message to this debtor about any invoice
    offline: bool = False  # the debtor is rarely online: every message is a printed letter
    promise_until: date | None = None  # the debtor promised to pay by this date
    promises: int = 0  # promises recorded so far; from the second on, ask for proof of the transfer
    paused_until: date | None = None  # paused by a person, or a dispute resolved: the ladder resumes on this date
    plan: PaymentPlan | None = None  # an agreed payment plan replaces the ladder while it is kept
    # A consumer who has not agreed to notices by e-mail gets the 14-day letter by post (its term counts from
    # delivery, so the law is met whatever happens to an e-mail).
    term_letter_by_post: bool = False
