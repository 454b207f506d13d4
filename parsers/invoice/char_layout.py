"""Layout text from positioned characters: pdfplumber's `extract_text(layout=True)` rules on plain tuples."""

from __future__ import annotations

from itertools import groupby
from typing import NamedTuple

# pdfplumber's defaults, so both PDF back ends give the text the label rules were tuned on.
_TOLERANCE = 3
_X_DENSITY = 7.25
_Y_DENSITY = 13
# Word gaps relative to the font size: a fixed 3 pt tolerance glues words of tightly set PDFs together
# ("Zahlbarsofortreinnetto"), which hides labels and terms.
X_TOLERANCE_RATIO = 0.15
_LIGATURES = {"ﬀ": "ff", "ﬃ": "ffi", "ﬄ": "ffl", "ﬁ": "fi", "ﬂ": "fl", "ﬆ": "st", "ﬅ": "st"}


class Char(NamedTuple):
    """One glyph in pdfplumber's page coordinates (top-left origin, points)."""

    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    upright: bool
    size: float


class _Word(NamedTuple):
    x0: float
    top: float
    text: str


def without_ghost_spaces(chars: list[Char]) -> list[Char]:
    """The characters minus spaces drawn on top of a visible glyph; they split numbers ("4 71102")."""
    visible = {(round(c.top), round(c.x0)) for c in chars if c.text.strip()}

    def keep(c: Char) -> bool:
        if c.text.strip():
            return True
        top, x0 = round(c.top), round(c.x0)
        return not any((top + dt, x0 + dx) in visible for dt in (-1, 0, 1) for dx in (-1, 0, 1))

    return [c for c in chars if keep(c)]


def _clusters(items: list, key, preserve_order: bool) -> list[list]:
    """pdfplumber's cluster_objects: values within the tolerance of their neighbour share a cluster."""
    ids: dict[float, int] = {}
    last = None
    index = -1
    for value in sorted({key(item) for item in items}):
        if last is None or value > last + _TOLERANCE:
            index += 1
        ids[value] = index
        last = value
    tagged = [(item, ids[key(item)]) for item in items]
    if not preserve_order:
        tagged.sort(key=lambda t: t[1])
    return [[item for item, _ in run] for _, run in groupby(tagged, key=lambda t: t[1])]


def _new_word(prev: Char, char: Char) -> bool:
    if prev.upright:  # read left to right, lines by top
        return char.x0 < prev.x0 or char.x0 > prev.x1 + X_TOLERANCE_RATIO * prev.size or \
            abs(char.top - prev.top) > _TOLERANCE
    # rotated text is read top to bottom, lines by x0 (pdfplumber swaps the tolerances)
    return char.top < prev.top or char.top > prev.bottom + _TOLERANCE or \
        abs(char.x0 - prev.x0) > X_TOLERANCE_RATIO * prev.size


def _word(chars: list[Char]) -> _Word:
    return _Word(min(c.x0 for c in chars), min(c.top for c in chars),
                 "".join(_LIGATURES.get(c.text, c.text) for c in chars))


def _words(chars: list[Char]) -> list[_Word]:
    words: list[_Word] = []
    for upright, group in groupby(chars, key=lambda c: c.upright):
        line_key = (lambda c: c.top) if upright else (lambda c: c.x0)
        char_key = (lambda c: c.x0) if upright else (lambda c: (c.top, c.bottom))
        for line in _clusters(list(group), line_key, preserve_order=False):
            current: list[Char] = []
            for char in sorted(line, key=char_key):
                if char.text.isspace():
                    if current:
                        words.append(_word(current))
                    current = []
                elif char.text == "":  # pdfplumber's split_at_punctuation="" makes an empty glyph a word of its own
                    if current:
                        words.append(_word(current))
                    words.append(_word([char]))
                    current = []
                elif current and _new_word(current[-1], char):
                    words.append(_word(current))
                    current = [char]
                else:
                    current.append(char)
            if current:
                words.append(_word(current))
    return words


def layout_text(chars: list[Char], left: float) -> str:
    """Lines of words, each word indented to its x position (7.25 pt per column from the page's `left` edge).

    Blank lines and trailing spaces are left out: the readers skip them anyway."""
    lines = []
    for line_words in _clusters(_words(chars), lambda w: w.top, preserve_order=True):
        parts: list[str] = []
        length = 0
        for word in line_words:
            spaces = max(min(1, length), round((word.x0 - left) / _X_DENSITY) - length)
            parts.append(" " * spaces + word.text)
            length += spaces + len(word.text)
        line = "".join(parts).rstrip()
        if line.strip():
            lines.append(line)
    return "\n".join(lines)
