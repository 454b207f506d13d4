"""The API's worker processes: a crashed one is replaced, one that cannot start stops the API, stop ends them all."""

import socket

import pytest

from worker.api.workers import SETTLE_SECONDS, STARTUP_FAILURE, Workers, listening_socket


class FakeProcess:
    """A started worker whose end the test decides."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.terminated = False

    def poll(self) -> int | None:
        return self.returncode

    def terminate(self) -> None:
        self.terminated = True
        self.returncode = 0

    def kill(self) -> None:
        self.returncode = -9

    def wait(self, timeout: float | None = None) -> int | None:
        return self.returncode


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def sock():
    with listening_socket("127.0.0.1", 0) as bound:
        yield bound


def _workers(sock: socket.socket, count: int, clock: Clock) -> tuple[Workers, list[FakeProcess], list[int]]:
    started: list[FakeProcess] = []
    fds: list[int] = []

    def start(fd: int) -> FakeProcess:
        fds.append(fd)
        started.append(FakeProcess(100 + len(started)))
        return started[-1]

    return Workers(sock, count, start=start, clock=clock), started, fds  # type: ignore[arg-type]


def test_every_worker_serves_the_one_socket_bound_here(sock):
    workers, started, fds = _workers(sock, 3, Clock())
    assert len(workers.processes) == 3 and fds == [sock.fileno()] * 3
    assert sock.get_inheritable()  # the workers get it across exec
    assert workers.check() is None  # all running: nothing to do


def test_a_worker_that_crashes_after_it_settled_is_replaced_on_the_same_socket(sock):
    clock = Clock()
    workers, started, fds = _workers(sock, 2, clock)
    clock.now += SETTLE_SECONDS + 1
    started[0].returncode = -11  # killed by a segfault, under load
    assert workers.check() is None
    assert [p.pid for p in workers.processes] == [102, 101] and fds[-1] == sock.fileno()


@pytest.mark.parametrize("code", [STARTUP_FAILURE, 1])
def test_a_worker_that_ends_right_after_its_start_stops_the_api_instead_of_restarting_for_ever(sock, code):
    clock = Clock()
    workers, started, _ = _workers(sock, 2, clock)
    clock.now += 1
    started[1].returncode = code
    assert workers.check() == code
    assert len(started) == 2  # none started in its place


def test_a_configuration_error_stops_the_api_even_long_after_the_start(sock):
    clock = Clock()
    workers, started, _ = _workers(sock, 2, clock)
    clock.now += SETTLE_SECONDS * 10
    started[0].returncode = STARTUP_FAILURE
    assert workers.check() == STARTUP_FAILURE


def test_stop_terminates_every_worker_still_running(sock):
    workers, started, _ = _workers(sock, 3, Clock())
    started[2].returncode = 0  # already gone: not signalled again
    workers.stop()
    assert [p.terminated for p in started] == [True, True, False]
    assert all(p.poll() is not None for p in started)
