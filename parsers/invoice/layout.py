"""Label hits in layout text and the value printed beside or below each label."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from parsers.invoice.labels import any_label_pattern, compiled_labels

_SPLIT_CAPITAL = re.compile(r"(?<![\w])([A-Z]) (?=[a-z]{3,})")
# Titles set in spaced capitals ("K O S T E N R E C H N U N G"): five or more single letters, one space apart.
_SPACED_CAPITALS = re.compile(r"(?<![\w])(?:[A-ZÄÖÜ] ){4,}[A-ZÄÖÜ](?![\w])")
# A label about another document ("date de facture associée", "original invoice number") is not this one's.
_REFERENCE_AFTER = re.compile(r"\s*(?:associ|d['’]origine|originale?\b|pr[ée]c[ée]dente|rectifi|corrig)", re.I)
_REFERENCE_BEFORE = re.compile(r"(?:original|related|previous|corrected|oorspronkelijke|vorige|gecorrigeerde|"
                               r"ursprüngliche[rn]?|vorherige[rn]?|bezogene[rn]?|korrigierte[rn]?)\s*$", re.I)


@dataclass(frozen=True)
class Hit:
    """A label found in the text: its field, priority and position (line index, column span)."""

    field: str
    priority: int
    line: int
    start: int
    end: int


def normalise_lines(pages: list[str]) -> list[str]:
    """Layout lines of all pages, right-stripped, with letter-spaced capitals joined (`F actuur` → `Factuur`)."""
    lines = []
    for page in pages:
        for line in page.splitlines():
            line = _SPACED_CAPITALS.sub(lambda m: m.group(0).replace(" ", ""), line.rstrip())
            lines.append(_SPLIT_CAPITAL.sub(r"\1", line))
    return [line for line in lines if line.strip()]


@lru_cache(maxsize=1)
def _labels() -> list:
    return compiled_labels()


@lru_cache(maxsize=1)
def _any_label() -> re.Pattern[str]:
    return any_label_pattern()


def _is_reference(line: str, start: int, end: int) -> bool:
    return bool(_REFERENCE_AFTER.match(line, end) or _REFERENCE_BEFORE.search(line[max(0, start - 25):start]))


def _label_starts(line: str) -> list[int]:
    """Every position where some label matches: each label's matches start at one of them."""
    starts = []
    found = _any_label().search(line)
    while found:
        starts.append(found.start())
        found = _any_label().search(line, found.start() + 1)
    return starts


def _matches(pattern: re.Pattern[str], line: str, starts: list[int]) -> list[re.Match[str]]:
    """`pattern.finditer(line)`, trying only the given start positions (most lines hold one or two labels)."""
    found = []
    end = 0
    for start in starts:
        if start >= end and (m := pattern.match(line, start)):
            found.append(m)
            end = max(m.end(), start + 1)
    return found


def find_hits(lines: list[str]) -> list[Hit]:
    """Every label occurrence; where labels overlap on a line the longest one wins."""
    hits: list[Hit] = []
    for index, line in enumerate(lines):
        starts = _label_starts(line)
        if not starts:
            continue
        candidates = []
        for field_name, pattern, priority in _labels():
            for m in _matches(pattern, line, starts):
                if _is_reference(line, m.start(), m.end()):
                    continue
                candidates.append(Hit(field_name, priority, index, m.start(), m.end()))
        candidates.sort(key=lambda h: (h.start - h.end, -h.priority))
        kept: list[Hit] = []
        for hit in candidates:
            if all(hit.end <= k.start or hit.start >= k.end for k in kept):
                kept.append(hit)
        hits.extend(sorted(kept, key=lambda h: h.start))
    return hits


def beside(lines: list[str], hits: list[Hit], hit: Hit) -> str:
    """Text right of a label on its line, up to the next label on that line."""
    line = lines[hit.line]
    stop = min((h.start for h in hits if h.line == hit.line and h.start >= hit.end
                and re.search(r"\s{3,}$", line[hit.end:h.start])), default=len(line))
    return line[hit.end:stop]


def below(lines: list[str], hit: Hit, depth: int = 2) -> list[str]:
    """The cell under a label in the next lines: text starting near the label's column up to a wide gap."""
    cells = []
    for line in lines[hit.line + 1: hit.line + 1 + depth]:
        begin = max(0, hit.start - 2)
        segment = line[begin:]
        if begin > 0 and line[begin - 1:begin].strip() and line[begin:begin + 1].strip():
            continue
        cell = re.split(r"\s{3,}", segment.strip())[0] if segment.strip() else ""
        if segment[:4].strip() == "" and len(segment) - len(segment.lstrip()) > 6:
            cell = ""
        cells.append(cell)
    return cells
