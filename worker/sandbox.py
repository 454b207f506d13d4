"""Run untrusted document parsing in a forked child with an address-space and a wall-time limit."""

from __future__ import annotations

import faulthandler
import os
import pickle
import resource
import select
import signal
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
