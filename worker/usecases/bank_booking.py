"""Turn a statement line into payment events: a matched credit booked, a chargeback reversed, a review decided."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from worker.adapters.letters import LetterSettings
from worker.db.models import BankAllocation, BankTransaction, Business, Invoice
from worker.domain.bank_matching import Allocation, Match
from worker.usecases import ledger
from worker.usecases.payments import PaymentRejected, record_payment, reverse_payment


class CreditDecisionRejected(ValueError):
    """A review action that cannot be done as asked; the message says what to do instead."""


def line_note(tx: BankTransaction) -> str:
    """The statement line as the invoice's timeline shows it."""
    who = " ".join(p for p in (tx.counterparty_name, tx.counterparty_iban) if p) or "unknown payer"
    ref = f" ref. {tx.bank_reference}" if tx.bank_reference else ""
    text = f": {tx.remittance}" if tx.remittance else ""
    return f"bank statement line{ref} of {tx.booking_date.isoformat()}, {tx.currency} {tx.amount:.2f} from {who}{text}"


def _paid_on(session: Session, tx: BankTransaction, now: datetime) -> date | None:
    # A line booked "tomorrow" in the bank's zone is today for the business: let the ledger pick its today.
    today = now.astimezone(ZoneInfo(session.get_one(Business, tx.business_id).timezone)).date()
    return tx.booking_date if tx.booking_date <= today else None


def book_match(session: Session, tx: BankTransaction, match: Match, *, now: datetime, letters: LetterSettings,
               who: str = "bank") -> list[Allocation]:
    """Book each allocation as a payment from the bank; a surplus goes on the last invoice as the payer's credit."""
    booked = []
    last = len(match.allocations) - 1
    for n, allocation in enumerate(match.allocations):
        invoice = session.get_one(Invoice, allocation.invoice_id)
        surplus = match.surplus if n == last else 0
        payment = record_payment(session, invoice, allocation.amount + surplus, paid_on=_paid_on(session, tx, now),
                                 note=line_note(tx), now=now, source="bank", overpayment=surplus > 0, who=who,
                                 letters=letters)
        session.add(BankAllocation(bank_transaction_id=tx.id, payment_id=payment.id, invoice_id=invoice.id))
        tx.debtor_id = invoice.debtor_id
        booked.append(allocation)
    return booked


def assign_credit(session: Session, tx: BankTransaction, invoice: Invoice, *, now: datetime,
                  letters: LetterSettings, who: str) -> None:
    """Finance says which invoice a credit in review pays; more than is open becomes the payer's credit."""
    if not tx.credit or tx.status != "review":
        raise CreditDecisionRejected(f"statement line {tx.id} is {tx.status}, not waiting in review; nothing to "
                                     "assign")
    if invoice.business_id != tx.business_id:
        raise CreditDecisionRejected(f"no invoice {invoice.id}")
    open_amount = ledger.open_amount(invoice)
    paid = min(tx.amount, open_amount)
    try:
        book_match(session, tx, Match("assigned", (Allocation(invoice.id, paid),), surplus=tx.amount - paid),
                   now=now, letters=letters, who=who)
    except PaymentRejected as exc:
        raise CreditDecisionRejected(str(exc)) from exc
    tx.status, tx.rule, tx.decided_by, tx.reason = "assigned", "assigned", who, None


def mark_not_ours(tx: BankTransaction, *, who: str) -> None:
    """Finance says the credit pays no invoice of ours (a refund, a loan, a private transfer)."""
    if tx.status != "review":
        raise CreditDecisionRejected(f"statement line {tx.id} is {tx.status}, not waiting in review")
    tx.status, tx.decided_by = "not_ours", who


def reverse_chargeback(session: Session, tx: BankTransaction, *, now: datetime) -> bool:
    """A returned credit (chargeback, returned direct debit) takes back the payments its original became.

    The original is the one booked credit with the same end-to-end id, or else the same payer account and
    amount; if it is not exactly one, a person decides (False).
    """
    booked = select(BankTransaction).where(BankTransaction.business_id == tx.business_id,
                                           BankTransaction.credit.is_(True), BankTransaction.reversal.is_(False),
                                           BankTransaction.status.in_(("matched", "assigned")),
                                           BankTransaction.amount == tx.amount)
    if tx.end_to_end_id and tx.end_to_end_id != "NOTPROVIDED":
        originals = session.scalars(booked.where(BankTransaction.end_to_end_id == tx.end_to_end_id)).all()
    elif tx.counterparty_iban:
        originals = session.scalars(booked.where(BankTransaction.counterparty_iban == tx.counterparty_iban)).all()
    else:
        originals = []
    if len(originals) != 1:
        return False
    original = originals[0]
    for allocation in session.scalars(select(BankAllocation).where(
            BankAllocation.bank_transaction_id == original.id)).all():
        invoice = session.get_one(Invoice, allocation.invoice_id)
        reverse_payment(session, invoice, allocation.payment_id, note=f"returned by the bank: {line_note(tx)}",
                        now=now, source="bank", who="bank")
    original.status = "reversed"
    tx.status, tx.debtor_id = "reversed", original.debtor_id
    return True
