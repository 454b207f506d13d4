"""Start and stop a long-running process cleanly: signals, child processes, the order things stop in."""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """preexec_fn of a child this process stops itself (started with start_new_session=True, so a terminal's
    Ctrl-C reaches only us and we stop children in order): the kernel sends it SIGTERM when its parent dies,
    even by kill -9, so a killed `dunning run` leaves no embedded Redis or API behind."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    except (OSError, AttributeError):  # not Linux: the parent's clean shutdown still stops the child
        pass


def stop_child(process: subprocess.Popen, name: str, timeout: float = 8.0) -> None:  # type: ignore[type-arg]
    """SIGTERM, wait up to `timeout` s, then SIGKILL; always reaped."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
            return
        except subprocess.TimeoutExpired:
            log.warning("%s (pid %s) did not stop within %.0f s; killing it", name, process.pid, timeout)
            process.kill()
    process.wait(timeout=5)


class Shutdown:
    """The process's stop request: set by SIGTERM or SIGINT (or by code), seen by every loop through `event`.

    The first signal runs the `on_request` callbacks (forwarding the stop to child processes at once, so they
    stop in parallel with us); later signals are only logged, never a traceback or a half-done cleanup.
    """

    def __init__(self) -> None:
        self.event = threading.Event()
        self._callbacks: list[Callable[[], None]] = []
        self._lock = threading.Lock()

    @property
    def requested(self) -> bool:
        return self.event.is_set()

    def on_request(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    def request(self, reason: str = "") -> None:
        with self._lock:
            if self.event.is_set():
                return
            self.event.set()
        if reason:
            log.info("stopping (%s)", reason)
        for callback in self._callbacks:
            try:
                callback()
            except Exception:
                log.exception("a stop callback failed")

    def handle_signal(self, signum: int, _frame: object) -> None:
        if self.event.is_set():
            log.info("already stopping; %s ignored", signal.Signals(signum).name)
            return
        self.request(signal.Signals(signum).name)

    def install(self) -> None:
        """Take SIGTERM and SIGINT (main thread only); the rq worker replaces them while it works."""
        signal.signal(signal.SIGTERM, self.handle_signal)
        signal.signal(signal.SIGINT, self.handle_signal)
