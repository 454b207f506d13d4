"""The shipped reply-intent classifier (`intent_model.joblib`): loaded once per process, asked for probabilities."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).with_name("intent_model.joblib")


@lru_cache(maxsize=1)
def _model() -> Any:
    # Imported here: scikit-learn costs a second to import and most replies are settled by the rules alone.
    import joblib

    return joblib.load(MODEL_FILE)


@dataclass(frozen=True)
class _Part:
    """One TF-IDF vectorizer as plain data: its analyzer, term index, idf and its rows of the classifier weights."""

    analyze: Callable[[str], list[str]]
    index: dict[str, int]
    idf: Any
    weights: Any  # (terms, intents)


@lru_cache(maxsize=1)
def _parts() -> tuple[list[_Part], Any, list[str]]:
    model = _model()
    classifier = model.named_steps["model"]
    parts, start = [], 0
    for _, vectorizer in model.named_steps["features"].transformer_list:
        size = len(vectorizer.vocabulary_)
        parts.append(_Part(vectorizer.build_analyzer(), vectorizer.vocabulary_, vectorizer.idf_,
                           classifier.coef_[:, start:start + size].T.copy()))
        start += size
    return parts, classifier.intercept_, [str(k) for k in classifier.classes_]


def known_share(text: str) -> float:
    """The share of the text's words the model was trained on: near 0 for filler, code or a language it never saw."""
    parts, _, _ = _parts()
    words = [w for w in parts[0].analyze(text) if " " not in w]  # the word vectorizer also yields word pairs
    return sum(w in parts[0].index for w in words) / len(words) if words else 0.0


def intent_probabilities(text: str) -> dict[str, float]:
    """Each intent's probability for one reply text, summing to 1 (trained by parsers/reply/training/train.py).

    The pipeline's own `predict_proba`, computed by hand: for one short text its per-call input checks cost five
    times the arithmetic (sublinear tf x idf, L2-normalised per vectorizer, then softmax of X.W + b).
    """
    import numpy as np

    parts, intercept, kinds = _parts()
    scores = intercept.copy()
    for part in parts:
        counts = Counter(part.index[t] for t in part.analyze(text) if t in part.index)
        if not counts:
            continue
        terms = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = (1.0 + np.log(np.fromiter(counts.values(), dtype=float, count=len(counts)))) * part.idf[terms]
        scores = scores + (values / np.sqrt(values @ values)) @ part.weights[terms]
    exp = np.exp(scores - scores.max())
    return dict(zip(kinds, (exp / exp.sum()).tolist(), strict=True))
