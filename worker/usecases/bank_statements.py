"""Import a bank statement: store each line once, match the credits to invoices, book them or leave them for review."""

import hashlib
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from parsers.bank import StatementLine, read_statement
from worker.adapters.letters import LetterSettings
from worker.db.models import BankStatementImport, BankTransaction, Business
from worker.domain.bank_matching import Credit, Matcher, Review
from worker.usecases.bank_booking import book_match, reverse_chargeback
from worker.usecases.bank_candidates import matcher_for
from worker.usecases.payments import PaymentRejected

SOURCES = ("upload", "cli", "email")


@dataclass(frozen=True)
class ImportCounts:
    """What an import did; the API and the CLI answer exactly these five numbers."""

    transactions: int
    credits: int
    matched: int
    review: int
    duplicates: int

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def dedup_key(line: StatementLine, occurrence: int) -> str:
    """The same transaction in an overlapping statement gets the same key: the bank's reference when it gives
    one, else a hash of account, date, amount, direction and remittance (with its occurrence in the file, so two
    identical transfers on one day stay two)."""
    if line.bank_reference:
        basis = f"ref|{line.account_iban}|{line.bank_reference}|{'C' if line.credit else 'D'}"
    else:
        basis = (f"hash|{line.account_iban}|{line.booking_date.isoformat()}|{line.amount:.2f}|{line.currency}|"
                 f"{'C' if line.credit else 'D'}|{line.counterparty_iban}|{line.remittance}|{occurrence}")
    return hashlib.sha256(basis.encode()).hexdigest()


def _keys(lines: tuple[StatementLine, ...]) -> list[str]:
    seen: Counter[tuple[object, ...]] = Counter()
    keys = []
    for line in lines:
        ident = (line.account_iban, line.booking_date, line.amount, line.credit, line.remittance,
                 line.counterparty_iban)
        seen[ident] += 1
        keys.append(dedup_key(line, seen[ident]))
    return keys


def _known(session: Session, business_id: int, keys: list[str]) -> set[str]:
    known: set[str] = set()
    for start in range(0, len(keys), 500):
        known.update(session.scalars(select(BankTransaction.dedup_key).where(
            BankTransaction.business_id == business_id, BankTransaction.dedup_key.in_(keys[start:start + 500]))))
    return known


def import_statement(session: Session, business: Business, data: bytes, *, filename: str | None, source: str,
                     now: datetime, letters: LetterSettings,
                     inbound_message_id: int | None = None) -> tuple[BankStatementImport, ImportCounts]:
    """Read the file (StatementUnreadable says what to export instead) and book what it proves was paid."""
    if source not in SOURCES:
        raise ValueError(f"unknown statement source {source!r}")
    statement = read_statement(data)
    row = BankStatementImport(business_id=business.id, filename=(filename or "")[:300] or None,
                              format=statement.format, account_iban=statement.account_iban, source=source,
                              inbound_message_id=inbound_message_id, transactions=len(statement.lines), credits=0,
                              matched=0, review=0, duplicates=0, imported_at=now)
    session.add(row)
    session.flush()
    keys = _keys(statement.lines)
    known = _known(session, business.id, keys)
    matcher: Matcher | None = None
    for line, key in zip(statement.lines, keys, strict=True):
        if key in known:
            row.duplicates += 1
            continue
        known.add(key)
        tx = _stored(session, business, row, line, key, now)
        if line.credit and not line.reversal:
            row.credits += 1
            matcher = matcher or matcher_for(session, business)
            _match_credit(session, tx, matcher, now=now, letters=letters)
        elif line.reversal:
            _reverse(session, tx, now=now)
        else:
            tx.status = "debit"
        row.matched += tx.status == "matched"
        row.review += tx.status == "review"
    return row, ImportCounts(row.transactions, row.credits, row.matched, row.review, row.duplicates)


def _stored(session: Session, business: Business, row: BankStatementImport, line: StatementLine, key: str,
            now: datetime) -> BankTransaction:
    tx = BankTransaction(
        business_id=business.id, statement_id=row.id, dedup_key=key, account_iban=line.account_iban,
        booking_date=line.booking_date, amount=line.amount, currency=line.currency, credit=line.credit,
        reversal=line.reversal, bank_reference=(line.bank_reference or "")[:200] or None,
        end_to_end_id=(line.end_to_end_id or "")[:200] or None, counterparty_name=line.counterparty_name,
        counterparty_iban=line.counterparty_iban, remittance=line.remittance,
        creditor_reference=line.creditor_reference, status="new", candidates=[], created_at=now)
    session.add(tx)
    session.flush()
    return tx


def _match_credit(session: Session, tx: BankTransaction, matcher: Matcher, *, now: datetime,
                  letters: LetterSettings) -> None:
    decision = matcher.match(Credit(amount=tx.amount, currency=tx.currency, reference=tx.creditor_reference,
                                    remittance=tx.remittance, payer_name=tx.counterparty_name,
                                    payer_iban=tx.counterparty_iban))
    if isinstance(decision, Review):
        tx.status, tx.reason, tx.candidates = "review", decision.reason, list(decision.candidates)
        return
    try:
        booked = book_match(session, tx, decision, now=now, letters=letters)
    except PaymentRejected as exc:  # e.g. the invoice was credited meanwhile: a person decides
        tx.status, tx.reason = "review", f"{exc}; assign the credit to another invoice or mark it not ours"
        tx.candidates = [a.invoice_id for a in decision.allocations]
        return
    tx.status, tx.rule = "matched", decision.rule
    matcher.settle(booked)
    if tx.debtor_id is not None:
        matcher.learn(tx.counterparty_iban, tx.counterparty_name, tx.debtor_id)


def _reverse(session: Session, tx: BankTransaction, *, now: datetime) -> None:
    try:
        done = reverse_chargeback(session, tx, now=now)
    except PaymentRejected as exc:
        tx.status, tx.reason = "review", f"a returned payment: {exc}"
        return
    if not done:
        tx.status = "review"
        tx.reason = ("money returned by the bank (chargeback or returned direct debit) that matches no booked "
                     "credit; reverse the payment it takes back by hand, or mark it not ours")
