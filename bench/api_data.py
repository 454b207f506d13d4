"""A business with many invoices and something in every list the API offers, inserted in bulk (Core executemany)."""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from sqlalchemy import Engine, insert, select
from sqlalchemy.orm import Session

from worker.db.models import (
    BankStatementImport,
    BankTransaction,
    Debtor,
    InboundMessage,
    Invoice,
    OutboundMessage,
    Payment,
    TimelineEvent,
)
from worker.usecases.businesses import create_business

NOW = datetime(2027, 2, 1, 9, tzinfo=UTC)
# Mostly open, as in a live ledger; the rest spread over the statuses the lists filter on.
STATUSES = ("open",) * 6 + ("paid", "paid", "paused", "disputed", "review", "handed_off", "credited")
CHUNK = 5000


@dataclass(frozen=True)
class Seeded:
    api_key: str
    business_id: int
    invoice_ids: list[int]
    debtor_ids: list[int]
    statement_id: int


def seed(engine: Engine, invoices: int, *, debtors: int | None = None, name: str = "bench", rng_seed: int = 7,
         now: datetime = NOW) -> Seeded:
    """One business with `invoices` invoices over `debtors` debtors (default invoices / 20), a timeline event per
    invoice, and a few rows in each other list (review queue, print queue, bank statements, payments)."""
    rng = random.Random(rng_seed)
    debtors = debtors or max(1, invoices // 20)
    with Session(engine) as session, session.begin():
        business, key = create_business(session, name=name, senders=[f"billing@{name}.example"],
                                        from_address=f"billing@{name}.example", iban="NL91ABNA0417164300", now=now)
        business_id = business.id
    with engine.begin() as conn:
        _bulk(conn, Debtor, [dict(business_id=business_id, name=f"Klant {d}", contact_email=f"ap{d}@{name}.example",
                                  created_at=now) for d in range(debtors)])
        debtor_ids = list(conn.scalars(select(Debtor.id).where(Debtor.business_id == business_id)
                                       .order_by(Debtor.id)))
        today = now.date()
        rows = []
        for n in range(invoices):
            amount = Decimal(rng.randrange(1000, 500000)) / 100
            status = rng.choice(STATUSES)
            paid = amount if status == "paid" else (amount / 2).quantize(Decimal("0.01")) if n % 9 == 0 else 0
            due = None if n % 97 == 0 else today + timedelta(days=rng.randrange(-200, 45))
            rows.append(dict(business_id=business_id, debtor_id=debtor_ids[n % len(debtor_ids)], number=f"F-{n:07d}",
                             issue_date=today - timedelta(days=60), due_date=due,
                             currency="USD" if n % 50 == 0 else "EUR", amount_due=amount, amount_paid=paid,
                             status=status, reply_token=f"{name}-{n}", parsed={}, created_at=now))
        _bulk(conn, Invoice, rows)
        invoice_ids = list(conn.scalars(select(Invoice.id).where(Invoice.business_id == business_id)
                                        .order_by(Invoice.id)))
        _bulk(conn, TimelineEvent, [dict(business_id=business_id, invoice_id=i, kind="InvoiceReceived",
                                         at=now - timedelta(days=60), data={}) for i in invoice_ids])
        few = max(6, min(300, invoices // 100))
        _bulk(conn, InboundMessage, [dict(message_key=f"<q{n}@{name}>", business_id=business_id if n % 2 else None,
                                          raw=b"x", from_address="x@unknown.example", subject="?",
                                          status="quarantined", reason="unknown sender", received_at=now)
                                     for n in range(few)])
        _bulk(conn, OutboundMessage, [dict(business_id=business_id, debtor_id=debtor_ids[0], invoice_id=invoice_ids[n],
                                           step="reminder", message_id=f"<o{n}@{name}>", subject=f"Herinnering {n}",
                                           raw=b"x", status="to_print" if n % 2 else "failed", created_at=now)
                                      for n in range(few)])
        failed = list(conn.scalars(select(OutboundMessage.id).where(OutboundMessage.business_id == business_id,
                                                                    OutboundMessage.status == "failed")))
        _bulk(conn, TimelineEvent, [dict(business_id=business_id, invoice_id=None, kind="DeliveryFailed",
                                         at=now - timedelta(minutes=n % 7),
                                         data={"code": 550, "reason": "no such user"},
                                         outbound_message_id=o) for n, o in enumerate(failed)])
        _bulk(conn, BankStatementImport, [dict(
            business_id=business_id, filename=f"camt-{n}.xml", format="camt053", source="upload", transactions=few,
            credits=few, matched=0, review=few, duplicates=0, imported_at=now) for n in range(3)])
        statement_id = conn.scalars(select(BankStatementImport.id).where(
            BankStatementImport.business_id == business_id).order_by(BankStatementImport.id)).first()
        _bulk(conn, BankTransaction, [dict(business_id=business_id, statement_id=statement_id, dedup_key=f"t{n}",
                                           booking_date=today - timedelta(days=n % 5), amount=Decimal("12.10"),
                                           currency="EUR", credit=True, reversal=False, remittance="?",
                                           status="review", candidates=[], created_at=now) for n in range(few)])
        # A few on the first invoice (a list to page), one on each of many others (a table of realistic shape).
        paid_on = [invoice_ids[0]] * few + invoice_ids[1:few * 20]
        _bulk(conn, Payment, [dict(business_id=business_id, invoice_id=i, kind="payment", amount=Decimal("1.00"),
                                   credit=Decimal(0), paid_on=today, source="api", who="bench", created_at=now)
                              for i in paid_on])
    return Seeded(key, business_id, invoice_ids, debtor_ids, statement_id)


def _bulk(conn, model, rows: list[dict]) -> None:  # type: ignore[no-untyped-def]
    for start in range(0, len(rows), CHUNK):
        conn.execute(insert(model), rows[start:start + CHUNK])
