"""Per-field accuracy, per language, of the invoice reader and the reply classifier on seeded random documents.

Usage: python bench/eval_generated.py --invoices 1000 --replies 1000 --seed 1 [--jobs 2] [--verbose]
Documents come from tests/factories/random_invoices.py and random_replies.py; document i of a run is drawn from
random.Random(f"{seed}-invoice-{i}"), so a failure is re-created from its seed and index alone.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from decimal import Decimal, InvalidOperation
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsers.invoice import InvoiceDocumentError, parse_invoice_document  # noqa: E402
from tests.factories.random_invoices import random_invoice  # noqa: E402
from tests.factories.random_replies import TODAY, random_reply  # noqa: E402
from worker.usecases.classify import classify_message  # noqa: E402

INVOICE_FIELDS = ("invoice_number", "issue_date", "due_date", "currency", "amount_due")
REPLY_FIELDS = ("kind", "intent", "promised_date", "reply_text")
# The drawn traits worth splitting the misses by, to name the weak spots.
INVOICE_TRAITS = ("number_format", "date_format", "placement", "label_position", "totals", "many_lines", "prepaid",
                  "due", "currency")
REPLY_TRAITS = ("intent", "footer", "quote", "html_only", "date_form")


def _decimal(value: object) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


def _collapse(text: object) -> str:
    return " ".join(str(text or "").split())


def _same(field: str, expected: object, actual: object) -> bool:
    if field == "amount_due":
        return _decimal(expected) == _decimal(actual)
    if field == "reply_text":
        return _collapse(expected) == _collapse(actual)
    if expected is None or actual is None:
        return expected is None and actual is None
    return str(expected).strip().lower() == str(actual).strip().lower()


def invoice_case(seed: int, index: int) -> dict:
    """Generate invoice `index` of the run and score the reader on it."""
    case = random_invoice(random.Random(f"{seed}-invoice-{index}"))
    try:
        got = parse_invoice_document(case.pdf, f"generated-{index}.pdf").to_json()
    except InvoiceDocumentError as exc:
        got = {"error": f"{type(exc).__name__}: {exc.reason}"}
    scores = {f: _same(f, case.truth[f], got.get(f)) for f in INVOICE_FIELDS}
    return {"index": index, "language": case.traits["language"], "traits": case.traits, "scores": scores,
            "misses": {f: (case.truth[f], got.get(f)) for f in INVOICE_FIELDS if not scores[f]},
            "error": got.get("error")}


def reply_case(seed: int, index: int) -> dict:
    """Generate reply `index` of the run and score the classifier on it (promised date only on promises)."""
    case = random_reply(random.Random(f"{seed}-reply-{index}"))
    got = classify_message(case.raw, TODAY)
    fields = REPLY_FIELDS if case.truth["intent"] == "promise_to_pay" else ("kind", "intent", "reply_text")
    scores = {f: _same(f, case.truth[f], got.get(f)) for f in fields}
    return {"index": index, "language": case.traits["language"], "traits": case.traits, "scores": scores,
            "misses": {f: (case.truth[f], got.get(f)) for f in fields if not scores[f]}, "error": None}


def _run(kind: str, seed: int, start: int, stop: int) -> list[dict]:
    scorer = invoice_case if kind == "invoice" else reply_case
    return [scorer(seed, index) for index in range(start, stop)]


def evaluate(kind: str, count: int, seed: int, jobs: int) -> list[dict]:
    """Score `count` generated documents of one kind, split over `jobs` processes in chunks."""
    chunk = 25
    bounds = [(start, min(start + chunk, count)) for start in range(0, count, chunk)]
    if jobs <= 1:
        return [row for start, stop in bounds for row in _run(kind, seed, start, stop)]
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(_run, kind, seed, start, stop) for start, stop in bounds]
        return [row for future in futures for row in future.result()]


def accuracy(rows: list[dict], fields: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """{language or 'all': {field or 'all_fields': accuracy}} over the rows that have the field."""
    right: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for group in (row["language"], "all"):
            for field, ok in row["scores"].items():
                right[group][field] += ok
                total[group][field] += 1
            right[group]["all_fields"] += all(row["scores"].values())
            total[group]["all_fields"] += 1
    return {group: {field: round(right[group][field] / total[group][field], 4)
                    for field in (*fields, "all_fields") if total[group][field]}
            for group in sorted(total, key=lambda g: (g == "all", g))}


def by_trait(rows: list[dict], traits: tuple[str, ...]) -> dict[str, dict[str, float]]:
    """Share of documents fully right, per value of each drawn trait."""
    result: dict[str, dict[str, float]] = {}
    for trait in traits:
        counts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for row in rows:
            counts[str(row["traits"].get(trait))][0] += all(row["scores"].values())
            counts[str(row["traits"].get(trait))][1] += 1
        result[trait] = {value: round(ok / n, 4) for value, (ok, n) in sorted(counts.items())}
    return result


def _table(title: str, table: dict[str, dict[str, float]], fields: tuple[str, ...], rows: list[dict]) -> str:
    sizes = defaultdict(int)
    for row in rows:
        sizes[row["language"]] += 1
        sizes["all"] += 1
    columns = (*fields, "all_fields")
    lines = [f"### {title}", "", "| language | n | " + " | ".join(columns) + " |",
             "|---|---|" + "---|" * len(columns)]
    for group, values in table.items():
        cells = [f"{values[f] * 100:.1f}%" if f in values else "–" for f in columns]
        lines.append(f"| {group} | {sizes[group]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--invoices", type=int, default=1000)
    parser.add_argument("--replies", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (the machine has 2 cores)")
    parser.add_argument("--verbose", action="store_true", help="list every miss with its index and traits")
    args = parser.parse_args(argv)
    if min(args.invoices, args.replies) < 0 or args.jobs < 1:
        parser.error("counts must be >= 0 and --jobs >= 1")
    started = time.perf_counter()
    invoices = evaluate("invoice", args.invoices, args.seed, args.jobs)
    replies = evaluate("reply", args.replies, args.seed, args.jobs)
    seconds = round(time.perf_counter() - started, 1)
    invoice_table = accuracy(invoices, INVOICE_FIELDS)
    reply_table = accuracy(replies, REPLY_FIELDS)
    print(f"seed {args.seed}: {len(invoices)} invoices, {len(replies)} replies in {seconds} s\n")
    if invoices:
        print(_table("Invoices (parse_invoice_document)", invoice_table, INVOICE_FIELDS, invoices), "\n")
    if replies:
        print(_table("Replies (classify_message; promised_date on promises only)", reply_table, REPLY_FIELDS,
                     replies), "\n")
    invoice_traits, reply_traits = by_trait(invoices, INVOICE_TRAITS), by_trait(replies, REPLY_TRAITS)
    for name, traits, rows in (("Invoices fully right by trait", invoice_traits, invoices),
                               ("Replies fully right by trait", reply_traits, replies)):
        if not rows:
            continue
        print(f"### {name}\n")
        for trait, values in traits.items():
            print(f"- {trait}: " + ", ".join(f"{v} {a * 100:.1f}%" for v, a in values.items()))
        print()
    if args.verbose:
        for kind, rows in (("invoice", invoices), ("reply", replies)):
            for row in rows:
                if row["misses"] or row["error"]:
                    print(f"{kind} {row['index']} {row['traits']} {row['error'] or ''} {row['misses']}")
    print(json.dumps({"seed": args.seed, "seconds": seconds, "invoices": invoice_table, "replies": reply_table,
                      "invoice_traits": invoice_traits, "reply_traits": reply_traits}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
