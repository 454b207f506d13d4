"""The per-language phrases of mail clients and auto-responders (mail_phrases.toml), as regex alternations."""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources

__all__ = ["alternation", "languages", "phrases"]


@cache
def _table() -> dict[str, dict[str, list[str]]]:
    return tomllib.loads(resources.files("parsers.reply").joinpath("mail_phrases.toml").read_text("utf-8"))


def languages() -> tuple[str, ...]:
    """The languages the table covers (ISO 639-1)."""
    return tuple(_table())


@cache
def phrases(kind: str) -> tuple[str, ...]:
    """Every language's phrases of one kind ("wrote", "footers", ...), lower-cased, longest first."""
    found = {p.lower() for entry in _table().values() for p in entry.get(kind, ())}
    return tuple(sorted(found, key=lambda p: (-len(p), p)))


@cache
def alternation(kind: str) -> str:
    """A regex alternation matching any phrase of `kind` literally; inner spaces match any run of whitespace."""
    return "|".join(r"\s+".join(re.escape(word) for word in p.split()) for p in phrases(kind))
