"""Train the reply-intent model on phrasings.jsonl, report held-out accuracy and ship it as intent_model.joblib."""

from __future__ import annotations

import argparse
import json
import random
from collections import Counter
from pathlib import Path
from typing import Any

import joblib
import sklearn
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import FeatureUnion, Pipeline

from parsers.reply.training.make_phrasings import INTENTS, LANGS

HERE = Path(__file__).parent
DATA = HERE / "phrasings.jsonl"
MODEL = HERE.parent / "intent_model.joblib"
REPORT = HERE.parents[2] / "bench" / "intent_model_report.md"
SEED = 20261201
HELD_OUT = 0.2


Row = dict[str, Any]


def load(path: Path = DATA) -> list[Row]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def split(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """The same 80/20 split every run, stratified by intent x language so every cell is tested."""
    train, test = train_test_split(rows, test_size=HELD_OUT, random_state=SEED,
                                   stratify=[f"{r['intent']}/{r['lang']}" for r in rows])
    return train, test


def split_by_template(rows: list[Row]) -> tuple[list[Row], list[Row]]:
    """A harder 80/20: a fifth of the core sentences of every intent x language is never seen in training.

    The plain split tests new slot fillings, typos and frames of sentences the model has seen; this one tests
    sentences it has not, which is closer to a debtor writing something nobody wrote down.
    """
    rng = random.Random(SEED)
    held: set[tuple[str, str, int]] = set()
    for intent in INTENTS:
        for lang in LANGS:
            templates = sorted({r["template"] for r in rows if r["intent"] == intent and r["lang"] == lang})
            held |= {(intent, lang, t) for t in rng.sample(templates, max(1, round(len(templates) * HELD_OUT)))}
    test = [r for r in rows if (r["intent"], r["lang"], r["template"]) in held]
    return [r for r in rows if (r["intent"], r["lang"], r["template"]) not in held], test


def pipeline() -> Pipeline:
    # Words carry meaning; character n-grams survive typos, missing accents and inflection.
    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), min_df=2, sublinear_tf=True,
                                  strip_accents="unicode", lowercase=True)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, max_features=40000,
                                  sublinear_tf=True, strip_accents="unicode", lowercase=True)),
    ])
    return Pipeline([("features", features),
                     ("model", LogisticRegression(C=10.0, max_iter=2000, random_state=SEED))])


def fit(rows: list[Row]) -> Pipeline:
    model = pipeline()
    model.fit([r["text"] for r in rows], [r["intent"] for r in rows])
    for _, vectorizer in model.named_steps["features"].transformer_list:
        vectorizer.stop_words_ = None  # the pruned terms are only for inspection and would triple the file
    return model


def report(model: Pipeline, test: list[Row], title: str) -> list[str]:
    """Held-out accuracy per intent, per language, per cell and the confusion matrix, as markdown lines."""
    predicted = model.predict([r["text"] for r in test])
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    confusion: Counter[tuple[str, str]] = Counter()
    for row, guess in zip(test, predicted, strict=True):
        ok = guess == row["intent"]
        for key in (row["intent"], row["lang"], f"{row['intent']}/{row['lang']}", "all"):
            total[key] += 1
            right[key] += ok
        confusion[(row["intent"], guess)] += 1

    def pct(key: str) -> str:
        return f"{right[key]}/{total[key]} ({100 * right[key] / total[key]:.1f}%)"

    lines = [f"## {title}", "", f"Held out: {len(test)} phrasings. Overall: {pct('all')}.", "",
             "| intent | accuracy |", "|---|---|"]
    lines += [f"| {intent} | {pct(intent)} |" for intent in INTENTS]
    lines += ["", "| language | accuracy |", "|---|---|"]
    lines += [f"| {lang} | {pct(lang)} |" for lang in LANGS]
    lines += ["", "| intent | " + " | ".join(LANGS) + " |", "|---|" + "---|" * len(LANGS)]
    lines += [f"| {intent} | " + " | ".join(f"{right[f'{intent}/{lang}']}/{total[f'{intent}/{lang}']}"
                                          for lang in LANGS) + " |" for intent in INTENTS]
    short = {"promise_to_pay": "promise", "payment_plan_request": "plan", "copy_request": "copy",
             "wrong_contact": "wrong", "paid": "paid", "dispute": "dispute", "other": "other"}
    lines += ["", "Confusion matrix (rows: true, columns: predicted):", "",
              "| true \\ predicted | " + " | ".join(short[i] for i in INTENTS) + " |",
              "|---|" + "---|" * len(INTENTS)]
    lines += [f"| {short[t]} | " + " | ".join(str(confusion[(t, p)]) for p in INTENTS) + " |" for t in INTENTS]
    return lines + [""]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--report", type=Path, default=REPORT)
    parser.add_argument("--model", type=Path, default=MODEL)
    args = parser.parse_args(argv)
    rows = load()
    lines = ["# Reply-intent model: held-out accuracy", "",
             f"`python -m parsers.reply.training.train` (scikit-learn {sklearn.__version__}, seed {SEED}) on "
             f"{len(rows)} phrasings from `make_phrasings.py`; {int(HELD_OUT * 100)}% held out, stratified by "
             "intent x language. The shipped model is then fitted on all phrasings.", ""]
    for title, (train, test) in (("Held out: new phrasings of seen sentences", split(rows)),
                                 ("Held out: sentences never seen in training", split_by_template(rows))):
        lines += report(fit(train), test, title)
    text = "\n".join(lines)
    print(text)
    args.report.write_text(text, encoding="utf-8")
    joblib.dump(fit(rows), args.model, compress=3)
    print(f"model -> {args.model} ({args.model.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
