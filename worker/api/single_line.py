"""`SingleLine`: an API text field that must stay on one line (it may end up in an e-mail header or letter)."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator

# C0 controls (CR, LF, TAB, NUL, ...), DEL, C1 controls and the Unicode line/paragraph separators.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
MAX_LENGTH = 300


def _one_line(value: str) -> str:
    if _CONTROL.search(value):
        raise ValueError("must be a single line: remove line breaks, tabs and other control characters")
    if len(value) > MAX_LENGTH:
        raise ValueError(f"must be at most {MAX_LENGTH} characters")
    return value.strip()


SingleLine = Annotated[str, AfterValidator(_one_line)]
