"""Where a figure in a law table comes from, and whether it still needs a second source."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    """A citation for one table row; `verify` marks a figure that rests on a single source."""

    text: str
    verify: bool = False
