"""Matching evaluation: a generated statement of 1,000 credits against 2,000 open invoices, through the real import.

    .venv/bin/python bench/eval_bank_matching.py [--invoices 2000] [--credits 1000] [--seed 12]

The statement is written as CAMT.053 and imported with `import_statement` on a fresh SQLite database, so parsing,
de-duplication, matching and booking are all measured. Each credit's truth is known; a credit counts as matched
exactly when the invoices it was booked on are exactly the ones it pays, wrong when booked on any other.
Targets (issue 12): 0 wrong; >= 95% matched when the RF reference or invoice number is present.
Prints a markdown table.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from parsers.bank.camt import read_camt  # noqa: E402
from parsers.bank.model import StatementLine  # noqa: E402
from parsers.bank.reference import creditor_reference, printed  # noqa: E402
from tests.bank_camt_writer import write_camt053  # noqa: E402
from worker.composition import build_container  # noqa: E402
from worker.config import Settings  # noqa: E402
from worker.db.migrate import upgrade  # noqa: E402
from worker.db.models import BankAllocation, BankTransaction, Debtor, Invoice  # noqa: E402
from worker.domain.bank_matching import Credit  # noqa: E402
from worker.usecases.bank_candidates import matcher_for  # noqa: E402
from worker.usecases.bank_statements import import_statement  # noqa: E402
from worker.usecases.businesses import create_business  # noqa: E402

NOW = datetime(2027, 3, 1, 9, tzinfo=UTC)
ACCOUNT = "NL91ABNA0417164300"
NUMBER_STYLES = ("{n}", "Factuur {n}", "factuur nr. {spaced}", "INV {dashless}", "betaling {lower} dank u",
                 "Fact.nr:{n}")


def _iban(i: int) -> str:
    return f"NL{10 + i % 89:02d}TEST{i:010d}"


def seed(session, business_id: int, rng: random.Random, n_invoices: int) -> list[dict]:
    debtors = []
    for d in range(n_invoices // 5):
        debtor = Debtor(business_id=business_id, contact_email=f"ap{d}@klant{d}.example", name=f"Klant {d} B.V.",
                        created_at=NOW)
        session.add(debtor)
        debtors.append(debtor)
    session.flush()
    invoices = []
    for i in range(n_invoices):
        debtor = debtors[rng.randrange(len(debtors))]
        number = f"F2026-{i + 1:05d}"
        amount = Decimal(rng.randrange(2000, 500000)) / 100
        inv = Invoice(business_id=business_id, debtor_id=debtor.id, number=number, issue_date=date(2026, 12, 1),
                      due_date=date(2027, 1, rng.randrange(1, 28)), currency="EUR", amount_due=amount,
                      amount_paid=Decimal(0), status="open", reply_token=f"t{i}",
                      payment_reference=creditor_reference(number), parsed={}, created_at=NOW)
        session.add(inv)
        invoices.append(inv)
    session.flush()
    names = {d.id: d.name for d in debtors}
    return [{"id": i.id, "number": i.number, "debtor": i.debtor_id, "amount": i.amount_due,
             "ref": i.payment_reference, "payer": names[i.debtor_id].replace(".", "")} for i in invoices]


def credits(rng: random.Random, invoices: list[dict], n: int) -> tuple[list[StatementLine], list[tuple]]:
    """(lines, truths): truth is (kind, frozenset of invoice ids) — empty for a credit that pays nothing of ours."""
    free = invoices[:]
    rng.shuffle(free)
    by_debtor = defaultdict(list)
    for inv in free:
        by_debtor[inv["debtor"]].append(inv)
    used: set[int] = set()
    lines, truths = [], []
    paid_in_full: list[dict] = []

    def take() -> dict:
        while True:
            inv = free.pop()
            if inv["id"] not in used:
                used.add(inv["id"])
                return inv

    while len(lines) < n:
        k = len(lines)
        roll = rng.random()
        ref, text, iban, name = None, "", _iban(100000 + k), f"Betaler {k}"
        if roll < 0.40:  # RF reference, structured or typed into the description
            inv = take()
            amount = inv["amount"] if rng.random() < 0.8 else (inv["amount"] / 2).quantize(Decimal("0.01"))
            if rng.random() < 0.5:
                ref = inv["ref"]
            else:
                text = f"betaling {printed(inv['ref'])}"
            truth = ("reference", frozenset({inv["id"]}))
            if amount == inv["amount"]:
                paid_in_full.append(inv)
        elif roll < 0.70:  # invoice number in the description, written as people write it
            inv = take()
            amount = inv["amount"] if rng.random() < 0.7 else (inv["amount"] - Decimal("10.00"))
            n_ = inv["number"]
            text = rng.choice(NUMBER_STYLES).format(n=n_, spaced=n_.replace("-", " "), dashless=n_.replace("-", ""),
                                                    lower=n_.lower())
            truth = ("number", frozenset({inv["id"]}))
        elif roll < 0.78:  # one payment listing two invoices of one debtor
            inv = take()
            others = [o for o in by_debtor[inv["debtor"]] if o["id"] not in used]
            if not others:
                used.discard(inv["id"])
                free.insert(0, inv)
                continue
            other = others[0]
            used.add(other["id"])
            amount = inv["amount"] + other["amount"]
            text = f"facturen {inv['number']} en {other['number']}"
            truth = ("number", frozenset({inv["id"], other["id"]}))
        elif roll < 0.84:  # exact amount from the debtor's name, nothing else
            inv = take()
            amount, name = inv["amount"], inv["payer"]
            truth = ("amount", frozenset({inv["id"]}))
        elif roll < 0.87 and paid_in_full:  # the same invoice paid a second time: to review, never elsewhere
            inv = rng.choice(paid_in_full)
            amount, text, name = inv["amount"], f"factuur {inv['number']}", inv["payer"]
            truth = ("hard", frozenset())
        elif roll < 0.90:  # a typo in the number that makes it another customer's invoice, payer named
            inv = take()
            typo = f"{inv['number'][:-1]}{(int(inv['number'][-1]) + 1) % 10}"
            amount, text, name = inv["amount"], f"factuur {typo}", inv["payer"]
            target = next((o for o in invoices if o["number"] == typo), None)
            # only the debtor's own invoice may be paid, and only when the typo is their own number too
            truth = ("hard", frozenset({target["id"]}) if target and target["debtor"] == inv["debtor"] else frozenset())
        else:  # not ours; a third of them with an amount equal to an open invoice, to tempt a guess
            amount = (rng.choice(invoices)["amount"] if rng.random() < 0.33
                      else Decimal(rng.randrange(100, 100000)) / 100)
            text = rng.choice(("huur maart", "terugbetaling", "", "lening", "gift 2026"))
            truth = ("unrelated", frozenset())
        lines.append(StatementLine(ACCOUNT, date(2027, 2, 1 + k % 27), amount, True, "EUR", f"C{k:05d}", name,
                                   iban, text, ref))
        truths.append(truth)
    return lines, truths


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--invoices", type=int, default=2000)
    ap.add_argument("--credits", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=12)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        container = build_container(Settings(data_dir=Path(tmp), database_url=f"sqlite:///{tmp}/bench.db",
                                             letter_format="docx"))
        container.clock = lambda: NOW
        upgrade(container.engine)
        with container.sessions.begin() as session:
            business, _ = create_business(session, name="bench", senders=["b@bench.example"],
                                          from_address="b@bench.example", iban=ACCOUNT, now=NOW)
            invoices = seed(session, business.id, rng, args.invoices)
            business_id = business.id
        lines, truths = credits(rng, invoices, args.credits)
        camt = write_camt053(lines, account_iban=ACCOUNT)

        with container.sessions.begin() as session:  # matching alone, pure rules over the indexed invoices
            matcher = matcher_for(session, session.get_one(type(business), business_id))
        parsed = read_camt(camt).lines
        started = time.perf_counter()
        for line in parsed:
            matcher.match(Credit(line.amount, line.currency, line.creditor_reference, line.remittance,
                                 line.counterparty_name, line.counterparty_iban))
        match_rate = len(parsed) / (time.perf_counter() - started)

        started = time.perf_counter()
        with container.sessions.begin() as session:
            _, counts = import_statement(session, session.get_one(type(business), business_id), camt,
                                         filename="bench.xml", source="cli", now=NOW,
                                         letters=container.letter_settings())
        import_seconds = time.perf_counter() - started
        with container.sessions.begin() as session:  # the same statement again: every line a duplicate
            _, again = import_statement(session, session.get_one(type(business), business_id), camt,
                                        filename="bench.xml", source="cli", now=NOW,
                                        letters=container.letter_settings())
        with container.sessions.begin() as session:
            booked: dict[str, set[int]] = defaultdict(set)
            status: dict[str, str] = {}
            for ref, st, invoice_id in session.execute(
                    select(BankTransaction.bank_reference, BankTransaction.status, BankAllocation.invoice_id)
                    .outerjoin(BankAllocation, BankAllocation.bank_transaction_id == BankTransaction.id)):
                status[ref] = st
                if invoice_id is not None:
                    booked[ref].add(invoice_id)
        container.engine.dispose()

    outcome: Counter[tuple[str, str]] = Counter()
    for line, (kind, truth) in zip(lines, truths, strict=True):
        got = frozenset(booked.get(line.bank_reference, set()))
        result = "review" if status[line.bank_reference] == "review" else ("exact" if got == truth else "wrong")
        outcome[(kind, result)] += 1
    kinds = ("reference", "number", "amount", "hard", "unrelated")
    print(f"Statement: {len(lines)} credits against {len(invoices)} open invoices (seed {args.seed}); import "
          f"answered {counts.as_dict()}\n")
    print("| credits carrying | count | matched exactly | to review | wrongly matched |")
    print("|---|---|---|---|---|")
    for kind in (*kinds, "all"):
        pick = kinds if kind == "all" else (kind,)
        total = sum(outcome[(k, r)] for k in pick for r in ("exact", "review", "wrong"))
        row = [sum(outcome[(k, r)] for k in pick) for r in ("exact", "review", "wrong")]
        label = {"reference": "RF reference", "number": "invoice number(s)", "amount": "only amount + payer name",
                 "hard": "a second payment, or a mistyped number",
                 "unrelated": "nothing of ours", "all": "**all**"}[kind]
        print(f"| {label} | {total} | " + " | ".join(f"{v} ({v / total:.1%})" for v in row) + " |")
    with_key = sum(outcome[(k, r)] for k in ("reference", "number") for r in ("exact", "review", "wrong"))
    exact_key = outcome[("reference", "exact")] + outcome[("number", "exact")]
    print(f"\nMatched exactly when the reference or invoice number is present: {exact_key}/{with_key} "
          f"({exact_key / with_key:.1%}); wrongly matched overall: "
          f"{sum(outcome[(k, 'wrong')] for k in kinds)}.")
    print(f"Importing the same statement again: {again.duplicates} duplicates, {again.matched} booked.")
    print(f"Speed: matching rules {match_rate:,.0f} credits/s; whole import (parse, de-duplicate, match, book "
          f"payments, SQLite) {len(lines) / import_seconds:,.0f} credits/s ({import_seconds:.1f} s).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
