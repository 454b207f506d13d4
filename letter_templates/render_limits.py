"""What one letter's render may cost (loops, value sizes, output, wall time), counted while it renders."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from jinja2.sandbox import SecurityError

# Each cap is far above what a real letter needs and far below what hurts a worker. The built-in letters loop a
# few times per invoice; a statement of 500 invoices with a five-row loop per invoice is 2,500 iterations.
MAX_RANGE = 10_000  # one range(): more rows than any letter has invoices
MAX_LOOP_ITERATIONS = 100_000  # all loops of one letter together, nested loops counting every inner pass
MAX_VALUE_CHARS = 1_000_000  # one string or list made by the template: ~300 pages of text
MAX_OUTPUT_CHARS = 20_000_000  # all text one letter produces (document XML); the built-ins produce ~0.1 MB
MAX_SECONDS = 5.0  # a letter renders in ~0.05 s; checked between template steps, so a loop cannot outrun it


class RenderLimitExceeded(SecurityError):
    """The template asked for more work than a letter may cost; the message says which limit and why."""


@dataclass(frozen=True)
class RenderLimits:
    """The caps for one render; tests and the upload check may pass tighter ones."""

    max_range: int = MAX_RANGE
    max_loop_iterations: int = MAX_LOOP_ITERATIONS
    max_value_chars: int = MAX_VALUE_CHARS
    max_output_chars: int = MAX_OUTPUT_CHARS
    seconds: float = MAX_SECONDS


DEFAULT_LIMITS = RenderLimits()


@dataclass
class RenderBudget:
    """What one render has spent so far, against its limits."""

    limits: RenderLimits = DEFAULT_LIMITS
    started: float = field(default_factory=time.monotonic)
    iterations: int = 0
    made: int = 0  # text made by output tags, wherever it goes (the letter, a {% set %} block, a macro)
    output: int = 0  # text the letter's parts stream out, static text included

    def tick(self) -> None:
        self.iterations += 1
        if self.iterations > self.limits.max_loop_iterations:
            raise RenderLimitExceeded(
                f"the loops in this letter run more than {self.limits.max_loop_iterations:,} times in total; "
                "a letter may not loop that often (is a range() or a nested loop too large?)")
        self.check_time()

    def check_time(self) -> None:
        if time.monotonic() - self.started > self.limits.seconds:
            raise RenderLimitExceeded(
                f"rendering took longer than {self.limits.seconds:g} seconds (a letter takes well under one); "
                "simplify the loops or calculations in the template")

    def sized(self, value: Any) -> Any:
        """`value` itself, after checking that it is not larger than a letter's value may be."""
        if isinstance(value, str | bytes | list | tuple | dict | set | frozenset):
            size = len(value)
            if size > self.limits.max_value_chars:
                raise RenderLimitExceeded(
                    f"the template builds a value of {size:,} characters or items; a letter's values may have at "
                    f"most {self.limits.max_value_chars:,}")
        return value

    def produced(self, text: str) -> str:
        """Count text an output tag makes (also into {% set %} blocks and macros)."""
        self.made += len(text)
        self._check_output(self.made)
        return text

    def streamed(self, pieces: Iterable[str]) -> Iterator[str]:
        """Count the text of a part as it streams out, so an oversized letter stops before it is joined."""
        for piece in pieces:
            self.output += len(piece)
            self._check_output(self.output)
            yield piece

    def _check_output(self, size: int) -> None:
        if size > self.limits.max_output_chars:
            raise RenderLimitExceeded(
                f"the letter grows beyond {self.limits.max_output_chars / 1_000_000:g} million characters; "
                "a letter is a few pages (is a loop repeating too much text?)")
        self.check_time()

    def counted(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """Iterate `iterable`, counting each pass against the loop cap and the deadline."""
        for item in iterable:
            self.tick()
            yield item

    def range(self, *args: int) -> range:
        """range() with the letter's cap, so range(100000000) is refused before it runs."""
        rng = range(*args)
        if len(rng) > self.limits.max_range:
            shown = ", ".join(str(a) for a in args)
            raise RenderLimitExceeded(
                f"range({shown}) has {len(rng):,} steps; a letter may loop at most {self.limits.max_range:,} "
                "times over one range")
        return rng


_ACTIVE: ContextVar[RenderBudget | None] = ContextVar("letter_render_budget", default=None)


def active_budget() -> RenderBudget:
    """The budget of the render in progress; outside one, a fresh budget (so the caps still hold per call)."""
    return _ACTIVE.get() or RenderBudget()


@contextmanager
def render_budget(limits: RenderLimits = DEFAULT_LIMITS, *, reuse: bool = False) -> Iterator[RenderBudget]:
    """Count everything rendered inside this block against one budget (a letter's body, headers and title).

    With `reuse`, an enclosing budget carries on (one template render inside a letter's render).
    """
    current = _ACTIVE.get()
    if reuse and current is not None:
        yield current
        return
    budget = RenderBudget(limits)
    token = _ACTIVE.set(budget)
    try:
        yield budget
    finally:
        _ACTIVE.reset(token)
