"""Render a letter in a child process under a hard deadline and a memory cap: the trial render of an upload.

The render limits (render_limits) stop a template between steps; one step that runs long or allocates a lot (a
join of a generator, a sort) can only be stopped from outside. So an upload is rendered here first, and what
fails here never goes live. Children come from a fork server (started once, single-threaded), because forking
the multi-threaded API process could copy a lock another thread holds.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import time
from dataclasses import dataclass
from functools import lru_cache
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from letter_templates.problems import TemplateError, TemplateProblem
from letter_templates.render import RenderedLetter, render_letter
from letter_templates.render_limits import DEFAULT_LIMITS, RenderLimits

MiB = 1024 * 1024
# The child is killed after this long. The in-render deadline (render_limits.MAX_SECONDS, 5 s) normally fires
# first with a better message; this one catches a single step that never returns. A letter takes ~0.05 s.
HARD_SECONDS = 10.0
# Address space the child may add to what it starts with. A letter's render needs ~30 MB; a template that
# needs 20 times that is broken, and a worker machine has room for this much more.
MEMORY_BYTES = 512 * MiB
# Starting the fork server imports docxtpl and friends once per process: a few seconds on a busy machine.
# Not counted against the template.
START_SECONDS = 120.0


@dataclass(frozen=True)
class IsolatedRender:
    """The letter, or the problems that refused it, and what the child process cost."""

    letter: RenderedLetter | None
    problems: list[TemplateProblem]
    peak_rss_bytes: int | None  # the child's peak resident memory (includes what it shares with the fork server)
    seconds: float


@lru_cache(maxsize=1)
def _context() -> Any:
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["letter_templates.render"])
    return context


def _peak_rss(pid: int | None) -> int | None:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next((int(line.split()[1]) * 1024 for line in status.splitlines() if line.startswith("VmHWM")), None)


def _cap_memory(extra: int) -> None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except OSError:
        return  # not Linux: the deadline still holds
    limit = pages * os.sysconf("SC_PAGE_SIZE") + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _child(conn: Connection, template: bytes, context: dict[str, Any], language: str, memory: int,
           limits: RenderLimits) -> None:
    _cap_memory(memory)
    conn.send(("ready", None))
    try:
        outcome: tuple[str, Any] = ("ok", render_letter(template, context, language, limits))
    except TemplateError as exc:
        outcome = ("problems", exc.problems)
    except MemoryError:
        outcome = ("problems", [_memory_problem(memory)])
    conn.send((*outcome, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024))  # Linux reports KiB
    conn.close()


def _memory_problem(memory: int) -> TemplateProblem:
    return TemplateProblem("too_costly", f"refused: rendering needed more than {memory // MiB} MB of memory (a "
                           "letter needs about 30 MB); a loop or calculation in the template builds far too much")


def render_isolated(template: bytes, context: dict[str, Any], language: str, *, seconds: float = HARD_SECONDS,
                    memory: int = MEMORY_BYTES, limits: RenderLimits = DEFAULT_LIMITS) -> IsolatedRender:
    """Render in a child process that is killed after `seconds` and may not grow by more than `memory` bytes."""
    mp = _context()
    reader, writer = mp.Pipe(duplex=False)
    process = mp.Process(target=_child, args=(writer, template, context, language, memory, limits), daemon=True)
    process.start()
    writer.close()
    started = time.monotonic()
    try:
        if not reader.poll(START_SECONDS):
            raise TemplateError([TemplateProblem("render_error", "the trial render could not start; try again")])
        reader.recv()
        started = time.monotonic()
        if not reader.poll(seconds):
            peak = _peak_rss(process.pid)
            return IsolatedRender(None, [TemplateProblem(
                "too_costly", f"refused: rendering the sample letter took longer than {seconds:g} s (a letter takes "
                "well under one second); simplify the loops or calculations in the template")],
                peak, time.monotonic() - started)
        try:
            kind, payload, peak = reader.recv()
        except EOFError:  # the child died without a word: out of memory in the middle of a step
            return IsolatedRender(None, [_memory_problem(memory)], peak, time.monotonic() - started)
    finally:
        if process.is_alive():
            process.kill()
        process.join()
        reader.close()
    elapsed = time.monotonic() - started
    if kind == "ok":
        return IsolatedRender(payload, [], peak, elapsed)
    return IsolatedRender(None, list(payload), peak, elapsed)
