"""The one place an invoice's paid and open amounts come from: its payment events, summed.

`Invoice.amount_paid` is kept as a projection of those events: `book` rewrites it from the rows' sum in the
same transaction that adds a row, while the invoice row is locked, so it can never drift from the events and
readers (lists, ageing, letters) need no per-invoice sum. Everyone reads amounts through `open_amount` and
`paid_amount` here; nothing else writes `amount_paid`.
"""

from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from worker.db.models import Invoice, Payment
from worker.domain import ledger
from worker.domain.ledger import Entry, EntryKind


def paid_amount(invoice: Invoice) -> Decimal:
    """What has been paid on the invoice (the projection of its payment events)."""
    return invoice.amount_paid if invoice.amount_paid is not None else ledger.ZERO


def open_amount(invoice: Invoice) -> Decimal:
    """What is still to pay on the invoice: every letter, report and decision asks for this amount."""
    return ledger.open_amount(invoice.amount_due, paid_amount(invoice))


def entries(session: Session, invoice_id: int) -> list[Entry]:
    """The invoice's money events, oldest first, as the domain rules read them."""
    rows = session.execute(select(Payment.kind, Payment.amount, Payment.credit)
                           .where(Payment.invoice_id == invoice_id).order_by(Payment.id))
    return [Entry(EntryKind(kind), amount, credit) for kind, amount, credit in rows]


def lock(session: Session, invoice: Invoice) -> None:
    """Serialise bookings on one invoice and re-read it, so two payments cannot both fit the same open amount.

    A no-op UPDATE is the portable lock: PostgreSQL holds the row until commit, SQLite takes its write lock.
    """
    session.flush()
    session.execute(update(Invoice).where(Invoice.id == invoice.id).values(amount_paid=Invoice.amount_paid)
                    .execution_options(synchronize_session=False))
    session.refresh(invoice)


def book(session: Session, payment: Payment, invoice: Invoice) -> Decimal:
    """Add one event (the caller holds `lock`) and rewrite the projection from all events; returns the open amount."""
    session.add(payment)
    session.flush()
    invoice.amount_paid = ledger.paid_amount(entries(session, invoice.id))
    return open_amount(invoice)
