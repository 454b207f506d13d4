"""Checked again as a message is about to go out: still owed, still due, not on hold, inside the sending window."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from worker.db.models import Business, Debtor, Invoice, OutboundInvoice, OutboundMessage
from worker.domain.events import EventKind
from worker.domain.holds import OnPlan, Paused, hold_for
from worker.domain.sending_window import SendingWindow
from worker.domain.status import InvoiceStatus
from worker.logs import get_logger
from worker.usecases.contacts import CONFIRMATION as AGREEMENT
from worker.usecases.invoice_copy import COPY
from worker.usecases.ledger import open_amount
from worker.usecases.payment_plans import CONFIRMATION
from worker.usecases.timeline import record_event

log = get_logger(__name__)

# Messages that answer or thank the debtor instead of asking for money: only the sending window applies.
_ANSWERS = ("thank_you", f"{COPY.name}.", f"{CONFIRMATION.name}.", f"{AGREEMENT.name}.")
_NOT_SENDING = ("cancelled", "failed")


@dataclass(frozen=True)
class Go:
    """Send it now."""


@dataclass(frozen=True)
class Defer:
    """Not now: the row waits, pending, until `until`."""

    until: datetime
    reason: str


@dataclass(frozen=True)
class Cancel:
    """Never: the message is no longer owed to the debtor."""

    reason: str


Verdict = Go | Defer | Cancel


def is_notice(step: str) -> bool:
    """A notice goes to the business itself, which may read it at any hour."""
    return step.startswith("notice:")


def _is_answer(step: str) -> bool:
    return step == _ANSWERS[0] or step.startswith(_ANSWERS[1:])


def window_for(business: Business, now: datetime) -> SendingWindow:
    # Imported here, not at the top: tick imports send (its claim lease) and send imports this module.
    from worker.usecases.decision_inputs import sending_window

    return sending_window(business, now)


def send_verdict(session: Session, row: OutboundMessage, now: datetime) -> Verdict:
    """Decide, in the send job's own transaction after its claim, whether the claimed row goes out now."""
    if is_notice(row.step):
        return Go()
    business = session.get_one(Business, row.business_id)
    window = window_for(business, now)
    if not _is_answer(row.step):
        verdict = _still_owed(session, row, business, window, now)
        if not isinstance(verdict, Go):
            return verdict
    if not window.is_open(now):
        return Defer(window.next_opening(now), "outside the sending window")
    return Go()


def _still_owed(session: Session, row: OutboundMessage, business: Business, window: SendingWindow,
                now: datetime) -> Verdict:
    """The same conditions under which the ladder decides nothing, so a cancelled step is never re-recorded
    in a loop: the tick records it again only once the invoice is owed and the step due again."""
    from worker.usecases.decision_inputs import debtor_policy, invoice_facts  # see window_for

    invoices = session.scalars(select(Invoice).join(OutboundInvoice, OutboundInvoice.invoice_id == Invoice.id)
                               .where(OutboundInvoice.outbound_message_id == row.id).order_by(Invoice.id)).all()
    if not invoices:
        return Go()
    debtor = session.get_one(Debtor, invoices[0].debtor_id)
    today = window.local_date(now)
    policy = debtor_policy(session, business, debtor, window, today)
    instalment = row.step.startswith("instalment_")
    until: datetime | None = None
    for invoice in invoices:
        if invoice.status != InvoiceStatus.OPEN.value:
            return Cancel(f"invoice {invoice.number} is {invoice.status}")
        if open_amount(invoice) <= 0:
            return Cancel(f"invoice {invoice.number} has nothing left to pay")
        later = _later_step(session, row, invoice)
        if later is not None:
            return Cancel(f"invoice {invoice.number} already has the later step {later}")
        hold = hold_for(invoice_facts(session, invoice, debtor), today, policy)
        if isinstance(hold, Paused):
            resume = window.next_opening(window.start_of(hold.until))
            until = max(until, resume) if until else resume
        elif isinstance(hold, OnPlan) and not instalment:
            return Cancel(f"a payment plan replaced the ladder for invoice {invoice.number}")
        elif instalment and not isinstance(hold, OnPlan):
            return Cancel(f"the payment plan for invoice {invoice.number} is no longer kept")
    return Defer(until, "the debtor's reminders are on hold") if until else Go()


def _later_step(session: Session, row: OutboundMessage, invoice: Invoice) -> str | None:
    """A step recorded after this one (not its own e-mail copy), still going out: this one is superseded."""
    steps = session.scalars(select(OutboundInvoice.step)
                            .join(OutboundMessage, OutboundMessage.id == OutboundInvoice.outbound_message_id)
                            .where(OutboundInvoice.invoice_id == invoice.id, OutboundMessage.id > row.id,
                                   OutboundMessage.status.not_in(_NOT_SENDING),
                                   OutboundInvoice.step != f"{row.step}.email_copy")).all()
    return next((step for step in steps if not _is_answer(step)), None)


def hold_back(session: Session, row: OutboundMessage, now: datetime) -> str | None:
    """Apply the verdict to a claimed row: None to send it now, else its new status (pending or cancelled)."""
    verdict = send_verdict(session, row, now)
    if isinstance(verdict, Go):
        return None
    if isinstance(verdict, Defer):
        return defer(row, verdict)
    _cancel(session, row, verdict.reason, now)
    return "cancelled"


def defer(row: OutboundMessage, verdict: Defer) -> str:
    """Give the claimed row back, pending until `verdict.until`. A deferral is not a delivery attempt: the one
    the claim counted is given back too."""
    row.status, row.attempts, row.next_attempt_at = "pending", max(row.attempts - 1, 0), verdict.until
    log.info("send_deferred", **log_fields(row), until=verdict.until.isoformat(), reason=verdict.reason)
    return "pending"


def _cancel(session: Session, row: OutboundMessage, reason: str, now: datetime) -> None:
    """Cancelled, with its (invoice, step) links removed: the ladder reads those links as "sent", and a step
    never sent must be taken again if the invoice is owed again (a dispute resolved, a payment reversed).

    The Message-ID is freed too, because the tick would record the same step under the same deterministic id.
    """
    fields = log_fields(row)
    invoice_ids: list[int | None] = list(session.scalars(select(OutboundInvoice.invoice_id)
                                                         .where(OutboundInvoice.outbound_message_id == row.id)))
    session.execute(delete(OutboundInvoice).where(OutboundInvoice.outbound_message_id == row.id))
    row.status, row.next_attempt_at, row.last_error = "cancelled", None, reason
    row.message_id = f"<cancelled.{row.id}.{row.message_id.strip('<>')}>"[:300]
    for invoice_id in invoice_ids or [row.invoice_id]:
        record_event(session, EventKind.REMINDER_CANCELLED, at=now, business_id=row.business_id,
                     invoice_id=invoice_id, debtor_id=row.debtor_id, outbound_message_id=row.id, step=row.step,
                     reason=reason)
    log.info("send_cancelled", **fields, reason=reason)


def log_fields(row: OutboundMessage) -> dict[str, object]:
    """The ids every send decision is logged with (never the body, never an address book)."""
    return dict(business_id=row.business_id, invoice_id=row.invoice_id, outbound_id=row.id,
                message_id=row.message_id, step=row.step)
