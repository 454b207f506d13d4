"""Per-field exact-match accuracy of the invoice parser against NAME.truth.json files in a folder.

Usage: python bench/eval_invoices.py DIR [--verbose]
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal, InvalidOperation
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsers.invoice import InvoiceDocumentError, parse_invoice_document  # noqa: E402

HEADLINE = ("invoice_number", "issue_date", "due_date", "amount_due", "currency")
EXTRA = ("payment_terms_days", "buyer_email")


def _decimal(value: object) -> Decimal | None:
    try:
        return None if value is None else Decimal(str(value))
    except InvalidOperation:
        return None


def same(field: str, expected: object, actual: object) -> bool:
    """Compare per the corpus README: amounts as decimals, the rest as trimmed case-insensitive strings."""
    if field == "amount_due":
        return _decimal(expected) == _decimal(actual)
    if expected is None or actual is None:
        return expected is None and actual is None
    return str(expected).strip().lower() == str(actual).strip().lower()


def cases(folder: Path) -> list[tuple[Path, Path]]:
    """(document, truth) pairs: NAME.pdf or NAME.xml beside NAME.truth.json."""
    pairs = []
    for truth in sorted(folder.glob("*.truth.json")):
        stem = truth.name[: -len(".truth.json")]
        for ext in (".pdf", ".xml"):
            document = truth.with_name(stem + ext)
            if document.exists():
                pairs.append((document, truth))
                break
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--verbose", action="store_true", help="list every failing field")
    parser.add_argument("--text-only", action="store_true",
                        help="ignore XML embedded in PDFs and read the page text (tests the template-free reader)")
    args = parser.parse_args(argv)
    fields = HEADLINE + EXTRA
    right = dict.fromkeys(fields, 0)
    failures: list[str] = []
    pairs = cases(args.folder)
    if args.text_only:
        pairs = [(d, t) for d, t in pairs if d.suffix == ".pdf"]
    for document, truth_file in pairs:
        truth = json.loads(truth_file.read_text())
        try:
            got = parse_invoice_document(document.read_bytes(), document.name, structured=not args.text_only).to_json()
            got["buyer_email"] = got["buyer"]["email"]
        except InvoiceDocumentError as exc:
            got = {}
            failures.append(f"{document.name}: {type(exc).__name__}: {exc.reason}")
        for field in fields:
            if same(field, truth.get(field), got.get(field)):
                right[field] += 1
            elif got:
                failures.append(f"{document.name}: {field} expected {truth.get(field)!r} got {got.get(field)!r}")
    total = len(pairs)
    print(f"{total} cases in {args.folder}\n")
    print("| field | correct | accuracy |\n|---|---|---|")
    for field in fields:
        pct = 100 * right[field] / total if total else 0.0
        note = "" if field in HEADLINE else " (extra)"
        print(f"| {field}{note} | {right[field]}/{total} | {pct:.1f}% |")
    if args.verbose and failures:
        print("\nFailures:")
        for line in failures:
            print(f"- {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
