"""Why an invoice did or did not get a reminder, and what happens next: the engine's explanation."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from worker.db.models import Business, Debtor, Invoice
from worker.domain.explain import explain
from worker.domain.status import InvoiceStatus
from worker.usecases.tick import debtor_policy, invoice_facts, sending_window


def explain_invoice(session: Session, invoice: Invoice, now: datetime) -> dict[str, Any]:
    """The same facts and policy the tick uses, run through `worker.domain.explain`."""
    if invoice.due_date is None:
        return {"next_step": None, "next_at": None, "steps": [],
                "reasons": [f"The invoice has no due date; it is {invoice.status}: "
                            f"{invoice.status_reason or 'correct it first'}."]}
    business = session.get_one(Business, invoice.business_id)
    debtor = session.get_one(Debtor, invoice.debtor_id)
    window = sending_window(business, now)
    policy = debtor_policy(session, business, debtor, window, window.local_date(now))
    found = explain(invoice_facts(session, invoice, debtor), now, policy)
    reasons = list(found.reasons)
    if invoice.status != InvoiceStatus.OPEN.value and invoice.status_reason:
        reasons.insert(1, f"Why: {invoice.status_reason}.")
    return {
        "next_step": found.next_step,
        "next_at": found.next_at.isoformat() if found.next_at else None,
        "reasons": reasons,
        "steps": [{"name": s.name, "on": s.on.isoformat() if s.on else None, "state": s.state}
                  for s in found.steps],
    }
