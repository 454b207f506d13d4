"""Accuracy of `classify_message` against NAME.label.json files beside NAME.eml in a folder.

Usage: python bench/eval_emails.py DIR [--verbose] [--today YYYY-MM-DD]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from worker.usecases.classify import classify_message  # noqa: E402

TARGETS = {"kind": 0.97, "bounce_recipients": 0.95, "reply_text": 0.85}


def collapse(text: str | None) -> str:
    return " ".join((text or "").split())


def cases(folder: Path) -> list[tuple[Path, dict]]:
    """(message, label) pairs for every NAME.eml with a NAME.label.json."""
    pairs = []
    for label_file in sorted(folder.glob("*.label.json")):
        message = label_file.with_name(label_file.name[: -len(".label.json")] + ".eml")
        if message.exists():
            pairs.append((message, json.loads(label_file.read_text())))
    return pairs


def evaluate(folder: Path, today: date) -> dict:
    """Counts per measure, and the failures (name, measure, expected, got)."""
    counts: Counter[str] = Counter()
    failures: list[tuple[str, str, object, object]] = []
    confusion: Counter[tuple[str, str]] = Counter()
    for message, label in cases(folder):
        name = message.name[: -len(".eml")]
        try:
            got = classify_message(message.read_bytes(), today)
        except Exception as exc:  # a crash counts as wrong on every measure, and is listed
            got = {"kind": f"error: {type(exc).__name__}: {exc}", "failed_recipients": [], "reply_text": None}
        counts["kind_total"] += 1
        confusion[(label["kind"], got["kind"])] += 1
        if got["kind"] == label["kind"]:
            counts["kind_right"] += 1
        else:
            failures.append((name, "kind", label["kind"], got["kind"]))
        if label["kind"] == "bounce":
            counts["bounce_total"] += 1
            expected = {a.lower() for a in label["failed_recipients"]}
            actual = {a.lower() for a in got.get("failed_recipients") or []}
            if got["kind"] == "bounce" and expected == actual:
                counts["bounce_right"] += 1
            else:
                failures.append((name, "failed_recipients", sorted(expected), sorted(actual)))
        if label["kind"] == "reply" and label.get("stripped_text") is not None:
            counts["reply_total"] += 1
            if collapse(got.get("reply_text")) == collapse(label["stripped_text"]):
                counts["reply_right"] += 1
            else:
                failures.append((name, "reply_text", label["stripped_text"], got.get("reply_text")))
    return {"counts": counts, "failures": failures, "confusion": confusion}


def ratios(counts: Counter[str]) -> dict[str, tuple[int, int]]:
    return {"kind": (counts["kind_right"], counts["kind_total"]),
            "bounce_recipients": (counts["bounce_right"], counts["bounce_total"]),
            "reply_text": (counts["reply_right"], counts["reply_total"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--verbose", action="store_true", help="list the confusion and every failure")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2025, 1, 15),
                        help="date relative promises are resolved against (fixed, so runs are reproducible)")
    args = parser.parse_args(argv)
    result = evaluate(args.folder, args.today)
    labels = {"kind": "kind (all messages)", "bounce_recipients": "failed-recipient set (bounces)",
              "reply_text": "reply_text exact (labelled replies)"}
    print(f"{result['counts']['kind_total']} messages in {args.folder}\n")
    print("| measure | correct | accuracy | target |\n|---|---|---|---|")
    for key, (right, total) in ratios(result["counts"]).items():
        share = right / total if total else 0.0
        print(f"| {labels[key]} | {right}/{total} | {share:.1%} | {TARGETS[key]:.0%} |")
    if args.verbose:
        print("\nconfusion (label -> got):")
        for (expected, got), n in sorted(result["confusion"].items()):
            if expected != got:
                print(f"  {expected} -> {got}: {n}")
        print("\nfailures:")
        for name, measure, expected, got in result["failures"]:
            print(f"  {name}: {measure} expected {expected!r} got {got!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
