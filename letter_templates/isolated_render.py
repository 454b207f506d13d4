"""Render a letter in a child process under a hard deadline and a memory cap: the trial render of an upload.

The render limits (render_limits) stop a template between steps; one step that runs long or allocates a lot (a
join of a generator, a sort) can only be stopped from outside. So an upload is rendered here first, and what
fails here never goes live.

How: one helper process per host process (started through a fork server, so it does not copy locks held by the
API's other threads) forks a fresh child per render. The helper is single-threaded, so forking it is safe, and
cheap: the child starts with everything imported. The helper waits for the child with a deadline, kills it when
it runs over, and reads the child's real peak memory from the kernel (wait4).
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import resource
import select
import signal
import threading
import time
from dataclasses import dataclass
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
# Starting the helper imports docxtpl and friends once per process: seconds on a busy machine. Not counted
# against the template.
START_SECONDS = 120.0


@dataclass(frozen=True)
class IsolatedRender:
    """The letter, or the problems that refused it, and what the child process cost."""

    letter: RenderedLetter | None
    problems: list[TemplateProblem]
    peak_rss_bytes: int | None  # the child's peak resident memory, from the kernel
    seconds: float


def _memory_problem(memory: int) -> TemplateProblem:
    return TemplateProblem("too_costly", f"refused: rendering needed more than {memory // MiB} MB of memory (a "
                           "letter needs about 30 MB); a loop or calculation in the template builds far too much")


def _slow_problem(seconds: float) -> TemplateProblem:
    return TemplateProblem("too_costly", f"refused: rendering the sample letter took longer than {seconds:g} s (a "
                           "letter takes well under one second); simplify the loops or calculations in the template")


def _cap_memory(extra: int) -> None:
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[0])
    except OSError:
        return  # not Linux: the deadline still holds
    limit = pages * os.sysconf("SC_PAGE_SIZE") + extra
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _render_in_child(out: int, template: bytes, context: dict[str, Any], language: str, memory: int,
                     limits: RenderLimits) -> None:
    """In the forked child: render and write the pickled outcome to `out`; never returns."""
    try:
        _cap_memory(memory)
        try:
            outcome: tuple[str, Any] = ("ok", render_letter(template, context, language, limits))
        except TemplateError as exc:
            outcome = ("problems", exc.problems)
        except MemoryError:
            outcome = ("problems", [_memory_problem(memory)])
        data = memoryview(pickle.dumps(outcome))
        while data:
            data = data[os.write(out, data):]
    finally:
        os._exit(0)  # no atexit handlers or multiprocessing finalizers of the helper in the child


def _fork_and_render(template: bytes, context: dict[str, Any], language: str, seconds: float, memory: int,
                     limits: RenderLimits) -> IsolatedRender:
    """In the helper: one child per render, read until it closes its pipe or the deadline passes."""
    read_end, write_end = os.pipe()
    started = time.monotonic()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        _render_in_child(write_end, template, context, language, memory, limits)
    os.close(write_end)
    chunks, killed = [], False
    deadline = started + seconds
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            killed = True
            break
        if select.select([read_end], [], [], remaining)[0]:
            chunk = os.read(read_end, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
    os.close(read_end)
    _, _, usage = os.wait4(pid, 0)
    elapsed, peak = time.monotonic() - started, usage.ru_maxrss * 1024  # Linux reports KiB
    if killed:
        return IsolatedRender(None, [_slow_problem(seconds)], peak, elapsed)
    try:
        kind, payload = pickle.loads(b"".join(chunks))
    except (EOFError, pickle.UnpicklingError):  # died without a word: out of memory in the middle of a step
        return IsolatedRender(None, [_memory_problem(memory)], peak, elapsed)
    if kind == "ok":
        return IsolatedRender(payload, [], peak, elapsed)
    return IsolatedRender(None, list(payload), peak, elapsed)


def _serve(conn: Connection) -> None:
    """The helper's loop: one request at a time until the host process goes away."""
    while True:
        try:
            request = conn.recv()
        except EOFError:
            return
        conn.send(_fork_and_render(*request))


class _Helper:
    """The host process's connection to its helper, started on first use and again if it died."""

    def __init__(self) -> None:
        self.lock = threading.Lock()  # one trial render at a time: uploads are rare
        self.process: Any = None
        self.conn: Connection | None = None

    def ask(self, request: tuple, wait: float) -> IsolatedRender:
        with self.lock:
            if self.process is None or not self.process.is_alive():
                self._start()
            assert self.conn is not None
            try:
                self.conn.send(request)
                if self.conn.poll(wait):
                    return self.conn.recv()
            except (EOFError, OSError):
                pass
            self.process.kill()  # stuck or gone: the next request starts a new one
            self.process = None
            raise TemplateError([TemplateProblem("render_error", "the trial render did not answer; try again")])

    def _start(self) -> None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["letter_templates.render"])
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child,), daemon=True, name="letter-trial-renders")
        self.process.start()
        child.close()


_HELPER = _Helper()


def render_isolated(template: bytes, context: dict[str, Any], language: str, *, seconds: float = HARD_SECONDS,
                    memory: int = MEMORY_BYTES, limits: RenderLimits = DEFAULT_LIMITS) -> IsolatedRender:
    """Render in a child process that is killed after `seconds` and may not grow by more than `memory` bytes."""
    return _HELPER.ask((template, context, language, seconds, memory, limits), START_SECONDS + seconds)
