"""The shipped reply-intent classifier (`intent_model.joblib`): loaded once per process, asked for probabilities."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

MODEL_FILE = Path(__file__).with_name("intent_model.joblib")


@lru_cache(maxsize=1)
def _model() -> Any:
    # Imported here: scikit-learn costs a second to import and most replies are settled by the rules alone.
    import joblib

    return joblib.load(MODEL_FILE)


def intent_probabilities(text: str) -> dict[str, float]:
    """Each intent's probability for one reply text, summing to 1 (trained by parsers/reply/training/train.py)."""
    model = _model()
    row = model.predict_proba([text])[0]
    return {str(kind): float(p) for kind, p in zip(model.classes_, row, strict=True)}
