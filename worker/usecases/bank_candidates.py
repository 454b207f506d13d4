"""Load what the matching rules need from the database: the business's invoices and the payers learned so far."""

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from parsers.bank.reference import creditor_reference, structured_reference
from worker.db.models import BankTransaction, Business, Debtor, Invoice
from worker.domain.bank_matching import Candidate, Matcher, name_key
from worker.domain.status import InvoiceStatus
from worker.usecases import ledger


def invoice_references(invoice: Invoice) -> frozenset[str]:
    """The structured references that name this invoice: the one on its letters, and the RF of its number
    (so invoices read before RF references were printed are still found by one)."""
    refs = {structured_reference(invoice.payment_reference), creditor_reference(invoice.number)}
    return frozenset(r for r in refs if r)


def candidate(invoice: Invoice) -> Candidate:
    return Candidate(id=invoice.id, number=invoice.number, debtor_id=invoice.debtor_id,
                     open_amount=ledger.open_amount(invoice), currency=invoice.currency or "EUR",
                     references=invoice_references(invoice), due_date=invoice.due_date)


def matcher_for(session: Session, business: Business) -> Matcher:
    """Every invoice a payment can be booked on (settled ones too, so a second payment is noticed, not guessed)."""
    invoices = session.scalars(select(Invoice).where(
        Invoice.business_id == business.id, Invoice.amount_due.is_not(None),
        Invoice.status != InvoiceStatus.CREDITED.value))
    ibans: dict[str, set[int]] = defaultdict(set)
    for iban, debtor_id in session.execute(select(BankTransaction.counterparty_iban, BankTransaction.debtor_id).where(
            BankTransaction.business_id == business.id, BankTransaction.debtor_id.is_not(None),
            BankTransaction.counterparty_iban.is_not(None)).distinct()):
        if iban is not None and debtor_id is not None:
            ibans[iban].add(debtor_id)
    names: dict[str, set[int]] = defaultdict(set)
    for debtor_id, name in session.execute(select(Debtor.id, Debtor.name).where(Debtor.business_id == business.id)):
        if key := name_key(name):
            names[key].add(debtor_id)
    for debtor_id, name in session.execute(select(BankTransaction.debtor_id, BankTransaction.counterparty_name).where(
            BankTransaction.business_id == business.id, BankTransaction.debtor_id.is_not(None)).distinct()):
        if (key := name_key(name)) and debtor_id is not None:
            names[key].add(debtor_id)
    # An account that paid for two customers (a parent company, a bookkeeper) identifies neither.
    return Matcher([candidate(i) for i in invoices],
                   payer_ibans={iban: next(iter(ds)) for iban, ds in ibans.items() if len(ds) == 1},
                   payer_names=dict(names))
