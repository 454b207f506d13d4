"""Confirm or correct what a debtor's reply meant (its intent, a promised date), and act on the corrected meaning."""

from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from worker.adapters.letters import LetterSettings
from worker.db.models import Business, Debtor, Invoice, TimelineEvent
from worker.domain.events import EventKind
from worker.domain.status import InvoiceStatus
from worker.usecases.reported_payments import report_payment
from worker.usecases.review_decisions import ReviewRefused, record_decision, refuse_if_decided
from worker.usecases.timeline import record_event

# The reply reader's intents (parsers/reply/intent.py KINDS).
INTENTS = ("paid", "promise_to_pay", "dispute", "copy_request", "payment_plan_request", "wrong_contact", "other")
# What a person's reading does to the invoice; anything else leaves it paused for that person to act on.
_SETTLED_ELSEWHERE = (InvoiceStatus.PAID.value, InvoiceStatus.CREDITED.value, InvoiceStatus.WRITTEN_OFF.value)


def decide_reply(session: Session, business: Business, reply: TimelineEvent, invoice: Invoice, *, intent: str,
                 promised_date: date | None, who: str, note: str | None, now: datetime,
                 letters: LetterSettings) -> str:
    """Record the person's reading ("confirm" when it is the reader's, else "correct") and act on it as the
    reply handling would have on a sure reading. Returns the action recorded."""
    refuse_if_decided(session, reply, "reply")
    if intent == "promise_to_pay" and promised_date is None:
        raise ReviewRefused("a promise to pay needs the promised date (promised_date, YYYY-MM-DD)", "promised_date")
    if intent != "promise_to_pay" and promised_date is not None:
        raise ReviewRefused("promised_date belongs only to intent promise_to_pay; leave it out", "promised_date")
    if invoice.status in _SETTLED_ELSEWHERE:
        raise ReviewRefused(f"invoice {invoice.number} is {invoice.status}; there is nothing left to act on", None)
    read = reply.data.get("intent")
    action = "confirm" if intent == read and promised_date is None else "correct"
    common: dict[str, Any] = dict(at=now, business_id=invoice.business_id, invoice_id=invoice.id,
                                  debtor_id=invoice.debtor_id, inbound_message_id=reply.inbound_message_id)
    record_decision(session, f"{action}_intent", who=who, now=now, business_id=invoice.business_id,
                    invoice_id=invoice.id, debtor_id=invoice.debtor_id, event_id=reply.id,
                    inbound_id=reply.inbound_message_id, intent=intent, read_as=read,
                    promised_date=promised_date.isoformat() if promised_date else None, note=note)
    back_on_ladder = invoice.status == InvoiceStatus.PAUSED.value
    if intent == "promise_to_pay":
        assert promised_date is not None
        # The ladder stays on but holds until the promised date plus grace, as for a promise read for sure.
        record_event(session, EventKind.PROMISE_TO_PAY_RECORDED, promised_date=promised_date.isoformat(),
                     matched_by="review", who=who, **common)
    elif intent == "paid":
        report_payment(session, business, invoice, amount=None, reported_on=now.date(), source="reply",
                       sender=reply.data.get("sender"), inbound_id=reply.inbound_message_id, matched_by="review",
                       now=now)
    elif intent == "dispute":
        invoice.status = InvoiceStatus.DISPUTED.value
        invoice.status_reason = f"disputed by the customer (confirmed by {who}): {reply.data.get('excerpt', '')}"[:500]
        back_on_ladder = False
    elif intent == "wrong_contact":
        debtor = session.get_one(Debtor, invoice.debtor_id)
        record_event(session, EventKind.CONTACT_MARKED_WRONG, contact=debtor.contact_email, who=who, **common)
        debtor.contact_undeliverable = True  # the next message goes to the general address
    else:
        # A question, a copy or a plan request: a person answers it; the ladder waits for them.
        back_on_ladder = False
        if invoice.status == InvoiceStatus.OPEN.value:
            invoice.status = InvoiceStatus.PAUSED.value
        invoice.status_reason = f"reply read as {intent.replace('_', ' ')} by {who}: answer the customer"
    if back_on_ladder:
        invoice.status, invoice.status_reason = InvoiceStatus.OPEN.value, None
    return f"{action}_intent"
