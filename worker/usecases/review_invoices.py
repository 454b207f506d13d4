"""Accept or correct a held invoice's fields (number, amount, due date, debtor e-mail) and release it to the ladder."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.db.models import Debtor, Invoice
from worker.domain.status import InvoiceStatus
from worker.usecases.ladder_control import CannotResume, resume_ladder
from worker.usecases.review_decisions import ReviewConflict, ReviewRefused, record_decision


@dataclass(frozen=True)
class Corrections:
    """What the person changed; None keeps what the parser read."""

    number: str | None = None
    amount_due: Decimal | None = None
    currency: str | None = None
    due_date: date | None = None
    debtor_email: str | None = None


def release_invoice(session: Session, invoice: Invoice, fixes: Corrections, *, who: str, note: str | None,
                    now: datetime) -> dict[str, list[str | None]]:
    """Apply the corrections, record them (old and new) and put the invoice on the ladder. Returns the changes."""
    if invoice.status != InvoiceStatus.REVIEW.value:
        raise ReviewConflict(f"invoice {invoice.number} is {invoice.status}, not held for review; only a held "
                             "invoice is released (a paused one is resumed: POST /invoices/{id}/resume)")
    changes: dict[str, list[str | None]] = {}

    def change(field: str, old: object, new: object) -> None:
        if new is not None and new != old:
            changes[field] = [None if old is None else str(old), str(new)]

    if fixes.number is not None and fixes.number != invoice.number:
        taken = session.scalar(select(Invoice.id).where(Invoice.business_id == invoice.business_id,
                                                        Invoice.number == fixes.number, Invoice.id != invoice.id))
        if taken is not None:
            raise ReviewRefused(f"invoice number {fixes.number} is already used by invoice {taken}", "number")
    change("number", invoice.number, fixes.number)
    change("amount_due", invoice.amount_due, fixes.amount_due)
    change("currency", invoice.currency, fixes.currency)
    change("due_date", invoice.due_date, fixes.due_date)
    invoice.number = fixes.number or invoice.number
    invoice.amount_due = fixes.amount_due if fixes.amount_due is not None else invoice.amount_due
    invoice.currency = fixes.currency or invoice.currency or ("EUR" if fixes.amount_due is not None else None)
    invoice.due_date = fixes.due_date or invoice.due_date
    if fixes.debtor_email is not None:
        _set_debtor(session, invoice, fixes.debtor_email.lower(), changes, now)
    missing = [name for name, value in (("amount_due", invoice.amount_due), ("due_date", invoice.due_date))
               if value is None]
    if missing:
        raise ReviewRefused(f"invoice {invoice.number} has no {missing[0].replace('_', ' ')}; give it ({missing[0]}) "
                            "to release the invoice", missing[0])
    if invoice.amount_due is not None and invoice.amount_paid > invoice.amount_due:
        raise ReviewRefused(f"{invoice.amount_paid} was already paid on invoice {invoice.number}, more than the "
                            f"amount {invoice.amount_due} given", "amount_due")
    record_decision(session, "release", who=who, now=now, business_id=invoice.business_id, invoice_id=invoice.id,
                    debtor_id=invoice.debtor_id, changes=changes, note=note)
    try:
        resume_ladder(session, invoice, note=f"released from review by {who}" + (f": {note}" if note else ""),
                      now=now)
    except CannotResume as exc:  # checked above; kept as a guard should the resume rules grow
        raise ReviewRefused(str(exc)) from exc
    return changes


def _set_debtor(session: Session, invoice: Invoice, email: str, changes: dict[str, list[str | None]],
                now: datetime) -> None:
    """The invoice goes to the business's debtor with that address; when none has it, this debtor's address is
    corrected if the invoice is its only one, else a new debtor is made (the others' letters stay as they were)."""
    debtor = session.get_one(Debtor, invoice.debtor_id)
    if debtor.contact_email == email:
        return
    changes["debtor_email"] = [debtor.contact_email, email]
    other = session.scalars(select(Debtor).where(Debtor.business_id == invoice.business_id,
                                                 Debtor.contact_email == email)).first()
    if other is None:
        others = session.scalar(select(Invoice.id).where(Invoice.debtor_id == debtor.id, Invoice.id != invoice.id))
        if others is None:
            debtor.contact_email, debtor.contact_undeliverable = email, False
            return
        other = Debtor(business_id=invoice.business_id, contact_email=email, name=debtor.name,
                       language=debtor.language, is_consumer=debtor.is_consumer, country=debtor.country,
                       created_at=now)
        session.add(other)
        session.flush()
    invoice.debtor_id = other.id
