"""Several API processes on one port: this process binds it, N `dunning api` children serve it, all stop together."""

import logging
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable

from worker.lifecycle import Shutdown, die_with_parent, stop_child

log = logging.getLogger(__name__)

# `dunning` exits with 3 on a configuration error and uvicorn when the app cannot start: a restart would fail alike.
STARTUP_FAILURE = 3
# A worker that ends this soon after its start is not crashing under load but failing to start: stop, do not loop.
SETTLE_SECONDS = 10.0
STOP_SECONDS = 7.0  # within `dunning run`'s 8 s for the API; each worker's own graceful shutdown takes at most 5 s


def listening_socket(host: str, port: int) -> socket.socket:
    """The API's port, bound once here and inherited by every worker (the kernel hands each connection to one)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.create_server((host, port), family=family, backlog=2048)
    sock.set_inheritable(True)
    return sock


def start_worker(fd: int) -> subprocess.Popen[bytes]:
    """One `dunning api` serving the socket `fd`. Its own session (a terminal's Ctrl-C reaches only us, and we stop
    the workers once, in order); the kernel stops it if this process dies, even by kill -9."""
    return subprocess.Popen([sys.executable, "-m", "worker.cli", "api", "--listen-fd", str(fd)], pass_fds=(fd,),
                            start_new_session=True, preexec_fn=die_with_parent,
                            env={**os.environ, _PARENT_ENV: str(os.getpid())})


_PARENT_ENV = "DUNNING_API_PARENT_PID"


def parent_gone() -> bool:
    """In a worker: its parent died before the kernel could be asked to tell it (between fork and prctl)."""
    expected = os.environ.get(_PARENT_ENV)
    return bool(expected) and os.getppid() != int(expected or 0)


class Workers:
    """N worker processes on one socket: a crashed one is replaced, one that cannot start stops them all."""

    def __init__(self, sock: socket.socket, count: int,
                 start: Callable[[int], subprocess.Popen[bytes]] = start_worker,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._sock, self._start, self._clock = sock, start, clock
        self.processes: list[subprocess.Popen[bytes]] = []
        self._started: list[float] = []
        for _ in range(count):
            self._add()

    def _add(self, index: int | None = None) -> None:
        process = self._start(self._sock.fileno())
        if index is None:
            self.processes.append(process)
            self._started.append(self._clock())
        else:
            self.processes[index], self._started[index] = process, self._clock()

    def check(self) -> int | None:
        """Replace workers that ended; the exit code to stop with when one could not start, else None."""
        for index, process in enumerate(self.processes):
            code = process.poll()
            if code is None:
                continue
            if code == STARTUP_FAILURE or self._clock() - self._started[index] < SETTLE_SECONDS:
                log.error("API worker %s ended with %s right after it started; stopping the API", process.pid, code)
                return code or 1
            log.warning("API worker %s ended with %s; starting another", process.pid, code)
            self._add(index)
        return None

    def terminate(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()

    def stop(self) -> None:
        self.terminate()
        for process in self.processes:  # they stop in parallel; these waits overlap
            stop_child(process, "API worker", timeout=STOP_SECONDS)


def serve_workers(host: str, port: int, count: int) -> int:
    """Run `count` workers on host:port until SIGTERM or SIGINT (then stop them all; exit 0), or until one cannot
    start (exit with its code)."""
    shutdown = Shutdown()
    shutdown.install()
    sock = listening_socket(host, port)
    workers = Workers(sock, count)
    shutdown.on_request(workers.terminate)  # the workers start stopping at once, in parallel
    log.info("API on http://%s:%s with %d worker processes", host, port, count)
    failed = None
    try:
        while failed is None and not shutdown.event.wait(0.5):
            failed = workers.check()
        if shutdown.requested:  # a worker that ended because we stopped it is no failure
            failed = None
    finally:
        workers.stop()
        sock.close()
    return failed or 0
