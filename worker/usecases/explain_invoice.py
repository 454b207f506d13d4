"""Why an invoice did or did not get a reminder, and what happens next: the engine's explanation, following
the tick exactly (the same facts, policy, minimum gap, sending window, and one message per debtor)."""

from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.db.models import Business, Debtor, Invoice
from worker.domain.explain import explain, spoken
from worker.domain.grouping import DebtorInvoice, group_due
from worker.domain.ladder import earliest_send
from worker.domain.status import InvoiceStatus
from worker.usecases.decision_inputs import debtor_policy, invoice_facts, sending_window
from worker.usecases.deliveries import invoice_deliveries


class BadMoment(ValueError):
    """`as_of` is neither a date nor a date and time."""


def moment(text: str, timezone: str) -> datetime:
    """`2027-01-18` (10:00 in `timezone`, like `dunning tick --now`) or an ISO date and time (zone optional)."""
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(10), ZoneInfo(timezone))
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise BadMoment(f"as_of {text!r}: write a date like 2027-01-18 or a moment like 2027-01-18T09:30+01:00") \
            from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=ZoneInfo(timezone))


def explain_invoice(session: Session, invoice: Invoice, now: datetime) -> dict[str, Any]:
    """The same facts and policy the tick uses, run through `worker.domain.explain`, as of `now`."""
    if invoice.due_date is None:
        reason = f"The invoice has no due date; it is {invoice.status}: {invoice.status_reason or 'correct it first'}."
        return {"as_of": now.isoformat(), "next_step": None, "next_at": None, "steps": [], "summary": reason,
                "reasons": [reason]}
    business = session.get_one(Business, invoice.business_id)
    debtor = session.get_one(Debtor, invoice.debtor_id)
    window = sending_window(business, now)
    policy = debtor_policy(session, business, debtor, window, window.local_date(now))
    facts = invoice_facts(session, invoice, debtor)
    found = explain(facts, now, policy)
    reasons = list(found.reasons)
    next_step, next_at, summary = found.next_step, found.next_at, found.summary
    held_step = None
    if invoice.status != InvoiceStatus.OPEN.value and invoice.status_reason:
        reasons.insert(1, f"Why: {invoice.status_reason}.")
    if invoice.status == InvoiceStatus.OPEN.value:
        # The tick sends one message per debtor: another invoice's letter may take this one along, or hold it.
        others = session.scalars(select(Invoice).where(
            Invoice.debtor_id == debtor.id, Invoice.status == InvoiceStatus.OPEN.value,
            Invoice.due_date.is_not(None))).all()
        batch = group_due([DebtorInvoice(debtor.id, i.id, invoice_facts(session, i, debtor), policy) for i in others],
                          now)
        held = next((h for h in batch.held if h.invoice_id == invoice.id), None)
        along = next((m for m in batch.messages if invoice.id in m.invoice_ids), None)
        if held is not None:
            next_at = earliest_send(facts, policy, now + policy.min_gap)
            going = next((m.step.name for m in batch.messages if m.debtor_id == debtor.id), "another letter")
            summary = (f"Nothing goes out for this invoice now: the {going.replace('_', ' ')} about the debtor's "
                       f"other invoices goes to this debtor now (one message at a time), so the "
                       f"{held.step.name.replace('_', ' ')} follows on "
                       f"{spoken(next_at, window.zone)} at the earliest.")
            reasons.append(f"Held: {held.reason}.")
            held_step = held.step.name
        elif along is not None and found.next_step != along.step.name:
            next_step, next_at = along.step.name, now
            summary = (f"Now the {along.step.name.replace('_', ' ')} goes out and takes this invoice along with "
                       "the debtor's other invoices at that step.")
            reasons.append(summary)
    return {
        "as_of": now.isoformat(),
        "summary": summary,
        "next_step": next_step,
        "next_at": next_at.isoformat() if next_at else None,
        "reasons": reasons,
        "steps": [{"name": s.name, "on": s.on.isoformat() if s.on else None,
                   "state": "held" if s.name == held_step else s.state} for s in found.steps],
        # What the SMTP server said to each recipient of each message about this invoice.
        "deliveries": invoice_deliveries(session, invoice.id),
    }
