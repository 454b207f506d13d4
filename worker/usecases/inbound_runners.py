"""Who processes stored inbound messages during an ingest pass: this process, or a pool of forked ones."""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import multiprocessing.util
from collections.abc import Callable, Collection
from typing import Protocol

from sqlalchemy import Engine

from worker.sandbox import close_warm_children
from worker.usecases.process_inbound import Outcome

log = logging.getLogger(__name__)


class Runner(Protocol):
    """Takes stored messages by id and reports their outcomes; each id is submitted at most once per pass."""

    def submit(self, inbound_id: int) -> None: ...

    def finished(self, ids: Collection[int], wait: float) -> dict[int, Outcome]:
        """Outcomes of those of `ids` that are done; waits up to `wait` seconds when none is done yet. An id
        that will never report (its worker died) is simply never returned: the pass stops waiting for it."""
        ...

    def close(self) -> None: ...


class InlineRunner:
    """Process each message at once, in this process (one worker, and the tests' default)."""

    def __init__(self, handle: Callable[[int], Outcome]) -> None:
        self._handle = handle
        self._done: dict[int, Outcome] = {}

    def submit(self, inbound_id: int) -> None:
        self._done[inbound_id] = self._handle(inbound_id)

    def finished(self, ids: Collection[int], wait: float) -> dict[int, Outcome]:
        return {i: self._done.pop(i) for i in ids if i in self._done}

    def close(self) -> None:
        self._done.clear()


# What the forked pool processes run: set before the fork, inherited (never pickled).
_child_handle: Callable[[int], Outcome] | None = None
_child_engine: Engine | None = None


def _child_start() -> None:
    # The parent's pooled database connections must not be shared: the child opens its own.
    if _child_engine is not None:
        _child_engine.dispose(close=False)
    # A pool process exits without atexit: its warm parse children are ended and waited for by this finalizer.
    multiprocessing.util.Finalize(None, close_warm_children, exitpriority=10)


def _child_process(inbound_id: int) -> Outcome:
    assert _child_handle is not None
    return _child_handle(inbound_id)


class PoolRunner:
    """Process messages in `workers` forked processes: parsing is CPU work, and one process has one GIL.

    A pool process that dies (kill -9, out of memory) leaves its message stored: the pass no longer waits for
    it, and the next pass (or the orphan sweep) processes it.
    """

    def __init__(self, handle: Callable[[int], Outcome], engine: Engine, workers: int) -> None:
        global _child_handle, _child_engine
        _child_handle, _child_engine = handle, engine
        # No database connection may be open across the fork: SQLite's lock bookkeeping is per process, and a
        # child that inherits it can hold the WAL write lock for ever (seen: every pool process waiting on it).
        # The pool forks all its processes at its first task, so that happens here, with the engine empty.
        engine.dispose()
        self._pool = cf.ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork"),
                                            initializer=_child_start)
        self._pool.submit(int).result()
        self._futures: dict[int, cf.Future[Outcome]] = {}
        self._lost: dict[int, Outcome] = {}

    def submit(self, inbound_id: int) -> None:
        if inbound_id in self._futures:
            return
        try:
            self._futures[inbound_id] = self._pool.submit(_child_process, inbound_id)
        except cf.process.BrokenProcessPool as exc:
            self._lost[inbound_id] = _lost(inbound_id, exc)

    def finished(self, ids: Collection[int], wait: float) -> dict[int, Outcome]:
        outcomes = {i: self._lost.pop(i) for i in ids if i in self._lost}
        futures = {self._futures[i]: i for i in ids if i in self._futures}
        if not futures:
            return outcomes
        done, _ = cf.wait(futures, timeout=0 if outcomes else wait, return_when=cf.FIRST_COMPLETED)
        for future in done:
            inbound_id = futures[future]
            del self._futures[inbound_id]
            try:
                outcomes[inbound_id] = future.result()
            except Exception as exc:  # noqa: BLE001 - the pool process died: the message stays stored
                outcomes[inbound_id] = _lost(inbound_id, exc)
        return outcomes

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._futures.clear()


def _lost(inbound_id: int, exc: BaseException) -> Outcome:
    """A message whose pool process died: still `stored`, so the orphan sweep of a later pass processes it."""
    log.warning("inbound message %s: its pool process failed (%s); it stays stored for a later pass", inbound_id, exc)
    return Outcome(inbound_id, "pending", None, f"worker process lost: {type(exc).__name__}")
