"""Run untrusted document parsing in a forked child with an address-space, a CPU and a wall-time limit."""

from __future__ import annotations

import atexit
import faulthandler
import gc
import os
import pickle
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")

# What a child may map beyond what the worker had mapped when it forked: a PDF library reading a bomb
# reached 2.8-3.2 GB; all 44 corpus invoices read the same inside it.
MEMORY_BUDGET_BYTES = 256 * 1024 * 1024
WALL_SECONDS = 20.0


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = MEMORY_BUDGET_BYTES
    seconds: float = WALL_SECONDS


class ContainedFailure(Exception):
    """The child ran out of memory or time, or died; `kind` is "memory", "time" or "crash"."""

    def __init__(self, kind: str, detail: str) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail


def _mapped_bytes() -> int:
    """Virtual memory the process maps now (the child inherits all of it at the fork)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * resource.getpagesize()


def _child(call: Callable[[], Any], limits: Limits, out: int) -> None:
    """Run `call` under the limits and write a pickled (tag, value) to `out`; never returns."""
    code = 0
    try:
        faulthandler.disable()  # a library aborting for want of memory is expected here, not a crash to dump
        ceiling = _mapped_bytes() + limits.memory_bytes
        resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))
        cpu = int(limits.seconds) + 1  # a second net under the parent's wall clock
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
        try:
            payload = pickle.dumps(("ok", call()))
        except MemoryError:
            payload = pickle.dumps(("memory", None))
        except Exception as exc:  # noqa: BLE001 - the parent re-raises it as it was
            # by class, args and attributes: exceptions with their own __init__ signature unpickle wrongly
            payload = pickle.dumps(("raised", (type(exc), exc.args, dict(vars(exc)))))
        with os.fdopen(out, "wb") as pipe:
            pipe.write(payload)
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the worker
        code = 1
    finally:
        os._exit(code)


def _read_until_exit(fd: int, pid: int, seconds: float) -> bytes:
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            raise ContainedFailure("time", f"took longer than {seconds:g} s")
        ready, _, _ = select.select([fd], [], [], remaining)
        if ready:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def run_contained(call: Callable[[], T], limits: Limits = Limits()) -> T:
    """`call()` in a forked child; its result, or its exception re-raised here, or ContainedFailure.

    The result and exceptions cross a pipe pickled, so they must be picklable (dataclasses, Decimals, ...).
    """
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_fd)
        _child(call, limits, write_fd)
    os.close(write_fd)
    try:
        payload = _read_until_exit(read_fd, pid, limits.seconds)
    finally:
        os.close(read_fd)
    _, status = os.waitpid(pid, 0)
    if not payload:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
            raise ContainedFailure("time", f"used more than {limits.seconds:g} s of CPU")
        # A library that cannot allocate under RLIMIT_AS aborts or segfaults instead of raising.
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        raise ContainedFailure("memory", f"died ({how}), most likely out of memory")
    tag, value = pickle.loads(payload)
    if tag == "memory":
        raise ContainedFailure("memory", f"needed more than {limits.memory_bytes // 1024 // 1024} MB")
    if tag == "raised":
        cls, args, attributes = value
        exc = cls.__new__(cls)
        exc.args = args
        vars(exc).update(attributes)
        raise exc
    return value  # type: ignore[no-any-return]


# -- warm children: one forked child reads many documents, one at a time -------------------------------------
# Forking the worker per document cost more CPU than reading it (page tables, copy-on-write faults, the exit:
# ~12 ms of ~22 ms per generated invoice). A warm child is forked once and reads documents until one of them
# hits a limit or crashes it, it has read DOCUMENTS_PER_CHILD, or it kept GROWTH_BYTES more mapped than it
# started with; then it is replaced. Each document gets the same limits as a forked child did.
DOCUMENTS_PER_CHILD = 200
GROWTH_BYTES = 64 * 1024 * 1024
_HEADER = 8  # bytes of big-endian length before each pickled frame
_EXIT_WAIT = 5.0


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _read_exactly(fd: int, size: int) -> bytes | None:
    """`size` bytes from a blocking fd, or None at end of file (the other side went away)."""
    chunks, got = [], 0
    while got < size:
        chunk = os.read(fd, min(size - got, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def _write_frame(fd: int, payload: bytes) -> None:
    view = memoryview(len(payload).to_bytes(_HEADER, "big") + payload)
    while view:
        view = view[os.write(fd, view):]


def _limited_call(func: Callable[..., Any], args: tuple[Any, ...], limits: Limits) -> tuple[bytes, bool]:
    """Run one call under the limits (the soft ones: the next call sets its own); (pickled result, retire)."""
    _, hard_as = resource.getrlimit(resource.RLIMIT_AS)
    _, hard_cpu = resource.getrlimit(resource.RLIMIT_CPU)
    ceiling = _mapped_bytes() + limits.memory_bytes
    cpu = int(_cpu_used()) + int(limits.seconds) + 1  # a second net under the parent's wall clock
    resource.setrlimit(resource.RLIMIT_AS, (ceiling if hard_as == resource.RLIM_INFINITY else min(ceiling, hard_as),
                                            hard_as))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu if hard_cpu == resource.RLIM_INFINITY else min(cpu, hard_cpu),
                                             hard_cpu))
    retire = False
    try:
        payload = pickle.dumps(("ok", func(*args)))
    except MemoryError:
        payload, retire = pickle.dumps(("memory", None)), True  # a heap that ran dry is not trusted again
    except Exception as exc:  # noqa: BLE001 - the parent re-raises it as it was
        payload = pickle.dumps(("raised", (type(exc), exc.args, dict(vars(exc)))))
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (hard_as, hard_as))
        resource.setrlimit(resource.RLIMIT_CPU, (hard_cpu, hard_cpu))
    return payload, retire


def _serve(requests: int, results: int) -> None:
    """The warm child's loop: read (function, args, limits), answer (tag, value, retire); never returns."""
    code = 0
    try:
        faulthandler.disable()  # a library aborting for want of memory is expected here, not a crash to dump
        gc.freeze()  # the worker's objects, inherited: never scanned here, so their pages stay shared
        started = _mapped_bytes()
        while True:
            header = _read_exactly(requests, _HEADER)
            if header is None:
                break  # the worker closed its end (replacing us, or it exited)
            frame = _read_exactly(requests, int.from_bytes(header, "big"))
            if frame is None:
                break
            func, args, limits = pickle.loads(frame)
            payload, retire = _limited_call(func, args, limits)
            retire = retire or _mapped_bytes() - started > GROWTH_BYTES
            _write_frame(results, pickle.dumps((payload, retire)))
            if retire:
                break
    except BaseException:  # noqa: BLE001 - whatever happens, the child must not return into the worker
        code = 1
    finally:
        os._exit(code)


class _WarmChild:
    """The worker's side of one warm child: two pipes and the pid."""

    def __init__(self) -> None:
        request_read, self.requests = os.pipe()
        self.results, result_write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(self.requests)
            os.close(self.results)
            _serve(request_read, result_write)
        os.close(request_read)
        os.close(result_write)
        self.pid, self.served, self.closed = pid, 0, False
        _live.append(self)

    def exited(self) -> bool:
        """Whether it died while idle (killed from outside): then it is not blamed for the next document."""
        try:
            return os.waitpid(self.pid, os.WNOHANG)[0] != 0
        except ChildProcessError:
            return True

    def call(self, func: Callable[..., Any], args: tuple[Any, ...], limits: Limits) -> tuple[str, Any]:
        """(tag, value) as the child answered; ContainedFailure when it died or overran the wall clock."""
        _write_frame(self.requests, pickle.dumps((func, args, limits)))  # BrokenPipeError: it died idle
        self.served += 1
        deadline = time.monotonic() + limits.seconds
        header = self._read(_HEADER, deadline, limits)
        payload, retire = pickle.loads(self._read(int.from_bytes(header, "big"), deadline, limits))
        if retire or self.served >= DOCUMENTS_PER_CHILD:
            self.close()
        tag, value = pickle.loads(payload)
        return tag, value

    def _read(self, size: int, deadline: float, limits: Limits) -> bytes:
        chunks, got = [], 0
        while got < size:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.kill()
                raise ContainedFailure("time", f"took longer than {limits.seconds:g} s")
            ready, _, _ = select.select([self.results], [], [], remaining)
            if not ready:
                continue
            chunk = os.read(self.results, min(size - got, 1 << 20))
            if not chunk:
                raise self._died(limits)
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def _died(self, limits: Limits) -> ContainedFailure:
        status = self._reap(block=True) or 0  # a blocking wait always has a status
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGXCPU:
            return ContainedFailure("time", f"used more than {limits.seconds:g} s of CPU")
        # A library that cannot allocate under RLIMIT_AS aborts or segfaults instead of raising.
        how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit {os.WEXITSTATUS(status)}"
        return ContainedFailure("memory", f"died ({how}), most likely out of memory")

    def kill(self) -> None:
        if not self.closed:
            os.kill(self.pid, signal.SIGKILL)
            self._reap(block=True)

    def close(self) -> None:
        """End of file on its request pipe ends it; waited for, so its CPU and memory count as the worker's."""
        if self.closed:
            return
        os.close(self.requests)
        self.requests = -1  # closed now: its number may be reused before the child is reaped
        deadline = time.monotonic() + _EXIT_WAIT
        while self._reap(block=False) is None:
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                self._reap(block=True)
                return
            time.sleep(0.005)  # a child told to exit: it finishes within milliseconds

    def _reap(self, *, block: bool) -> int | None:
        try:
            pid, status = os.waitpid(self.pid, 0 if block else os.WNOHANG)
        except ChildProcessError:
            pid, status = self.pid, 0
        if pid == 0:
            return None
        self._forget()
        return status

    def _forget(self) -> None:
        if not self.closed:
            self.closed = True
            _close_pipes(self)
            if self in _live:
                _live.remove(self)


def _close_pipes(child: _WarmChild) -> None:
    for fd in (child.requests, child.results):
        if fd >= 0:
            os.close(fd)
    child.requests = child.results = -1


_live: list[_WarmChild] = []  # every warm child of this process, idle or busy
_idle: list[_WarmChild] = []
_lock = threading.Lock()


def _take() -> _WarmChild:
    with _lock:
        while _idle:
            child = _idle.pop()
            if not child.closed and not child.exited():
                return child
            child._forget()
    return _WarmChild()


def run_warm(func: Callable[..., T], *args: Any, limits: Limits = Limits()) -> T:
    """`func(*args)` in a warm child (see above); its result, or its exception re-raised here, or ContainedFailure.

    `func`, the arguments, the result and exceptions cross pipes pickled: `func` must be a module-level function.
    Threads each use their own child at a time.
    """
    for attempt in (1, 2):
        child = _take()
        try:
            tag, value = child.call(func, args, limits)
        except BrokenPipeError:
            child.kill()  # it died idle, before it read this document: a fresh child reads it
            if attempt == 2:
                raise
            continue
        except BaseException:
            child.kill()  # a failure, or this process interrupted mid-call: the child's state is unknown
            raise
        if not child.closed:
            with _lock:
                _idle.append(child)
        break
    if tag == "memory":
        raise ContainedFailure("memory", f"needed more than {limits.memory_bytes // 1024 // 1024} MB")
    if tag == "raised":
        cls, exc_args, attributes = value
        exc = cls.__new__(cls)
        exc.args = exc_args
        vars(exc).update(attributes)
        raise exc
    return value  # type: ignore[no-any-return]


def close_warm_children() -> None:
    """End and wait for this process's idle warm children (at the end of an ingest pass, and at exit)."""
    with _lock:
        idle = list(_idle)
        _idle.clear()
    for child in idle:
        child.close()


def _after_fork_in_child() -> None:
    """A forked process must not use (or hold open) its parent's warm children: their pipes are closed here."""
    global _lock
    _lock = threading.Lock()
    for child in list(_live):
        child.closed = True
        _close_pipes(child)
    _live.clear()
    _idle.clear()


os.register_at_fork(after_in_child=_after_fork_in_child)
atexit.register(close_warm_children)
