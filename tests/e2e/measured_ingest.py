"""Run one ingest pass in a forked child and measure its peak resident memory (the sandbox's children included)."""

from __future__ import annotations

import os
import pickle
import traceback
from dataclasses import dataclass

from tests.e2e.harness import Service


@dataclass(frozen=True)
class MeasuredIngest:
    outcomes: list[tuple[int, str, str | None]]  # (inbound id, status, reason)
    peak_rss: int  # bytes, the child's and its waited-for children's peak
    rss_at_fork: int  # bytes: what the child inherited resident from this process

    @property
    def growth(self) -> int:
        return self.peak_rss - self.rss_at_fork


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def ingest_in_child(service: Service) -> MeasuredIngest:
    """`service.ingest()` in a child process, so its memory is measured apart from the test's."""
    read_fd, write_fd = os.pipe()
    rss = _rss()
    pid = os.fork()
    if pid == 0:  # the child: own database connections, the parent's are left alone
        code = 1
        try:
            os.close(read_fd)
            service.container.engine.dispose(close=False)
            report = service.ingest()
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(pickle.dumps([(o.inbound_id, o.status, o.reason) for o in report.outcomes]))
            code = 0
        except BaseException:  # noqa: BLE001 - show why in the test output; the parent fails the test
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        payload = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0, f"the ingest child failed ({status})"
    return MeasuredIngest(pickle.loads(payload), usage.ru_maxrss * 1024, rss)
