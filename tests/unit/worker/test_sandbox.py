"""run_contained and run_warm: results and exceptions come back; memory, time and crashes become ContainedFailure."""

from __future__ import annotations

import os
import resource
import select
import signal
import time

import pytest

from parsers.invoice import DocumentTooLarge, NotAnInvoice
from tests.factories import hostile
from worker import sandbox
from worker.adapters.contained_documents import read_invoice_document
from worker.sandbox import ContainedFailure, Limits, close_warm_children, run_contained, run_warm


def test_the_result_comes_back():
    assert run_contained(lambda: {"sum": sum(range(10))}) == {"sum": 45}


def test_an_exception_comes_back_with_its_attributes():
    with pytest.raises(NotAnInvoice) as raised:
        run_contained(lambda: (_ for _ in ()).throw(NotAnInvoice("not one", "x.pdf")))
    assert raised.value.reason == "not one" and raised.value.filename == "x.pdf"


def test_running_out_of_memory_is_a_failure_not_a_crash():
    with pytest.raises(ContainedFailure) as failed:
        run_contained(lambda: bytearray(512 * 1024 * 1024), Limits(memory_bytes=64 * 1024 * 1024))
    assert failed.value.kind == "memory"


def test_running_out_of_time_kills_the_child():
    def spin() -> None:
        while True:
            pass

    with pytest.raises(ContainedFailure) as failed:
        run_contained(spin, Limits(seconds=0.5))
    assert failed.value.kind == "time"


def test_a_bomb_the_census_cannot_see_is_stopped_by_the_sandbox():
    with pytest.raises(DocumentTooLarge, match="needs more memory to read than any invoice"):
        read_invoice_document(hostile.pdf_bomb_behind_hex(), "bomb.pdf")
    assert read_invoice_document(hostile.text_pdf("2027-0300"), "f.pdf").invoice_number == "2027-0300"


# -- warm children: module-level functions, since what a warm child runs crosses a pipe pickled ---------------
def _pid() -> int:
    return os.getpid()


def _sum(numbers: list[int]) -> int:
    return sum(numbers)


def _raise_not_an_invoice(filename: str) -> None:
    raise NotAnInvoice("not one", filename)


def _allocate(size: int) -> int:
    return len(bytearray(size))


def _spin() -> None:
    while True:
        pass


def _sleep_on_select() -> None:
    select.select([], [], [])  # no CPU used: only the parent's wall clock ends it


def _die() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


@pytest.fixture(autouse=True)
def _fresh_children():
    close_warm_children()
    yield
    close_warm_children()


def test_a_warm_child_reads_one_document_after_the_other():
    first = run_warm(_pid)
    assert first != os.getpid()
    assert run_warm(_sum, [1, 2, 3]) == 6
    assert run_warm(_pid) == first


def test_a_warm_child_passes_exceptions_back_and_stays():
    first = run_warm(_pid)
    with pytest.raises(NotAnInvoice) as raised:
        run_warm(_raise_not_an_invoice, "x.pdf")
    assert raised.value.reason == "not one" and raised.value.filename == "x.pdf"
    assert run_warm(_pid) == first


def test_each_document_gets_the_memory_budget_and_the_child_is_replaced_after_a_blow_up():
    limits = Limits(memory_bytes=64 * 1024 * 1024)
    first = run_warm(_pid)
    for _ in range(3):  # the budget is per document: it does not shrink with what the child read before
        assert run_warm(_allocate, 32 * 1024 * 1024, limits=limits) == 32 * 1024 * 1024
    with pytest.raises(ContainedFailure) as failed:
        run_warm(_allocate, 512 * 1024 * 1024, limits=limits)
    assert failed.value.kind == "memory"
    assert run_warm(_pid) != first


def test_a_spinning_document_uses_up_its_cpu_and_the_child_is_replaced():
    first = run_warm(_pid)
    with pytest.raises(ContainedFailure) as failed:
        run_warm(_spin, limits=Limits(seconds=0.5))
    assert failed.value.kind == "time"
    assert run_warm(_pid) != first


def test_a_document_that_hangs_without_cpu_is_stopped_by_the_wall_clock():
    first = run_warm(_pid)
    with pytest.raises(ContainedFailure, match="took longer than 0.3 s") as failed:
        run_warm(_sleep_on_select, limits=Limits(seconds=0.3))
    assert failed.value.kind == "time"
    assert run_warm(_pid) != first


def test_a_crash_is_the_documents_failure_and_the_next_one_gets_a_fresh_child():
    first = run_warm(_pid)
    with pytest.raises(ContainedFailure) as failed:
        run_warm(_die)
    assert failed.value.kind == "memory" and "signal 11" in failed.value.detail
    assert run_warm(_pid) != first


def test_a_child_killed_while_idle_is_not_blamed_on_the_next_document():
    first = run_warm(_pid)
    os.kill(first, signal.SIGKILL)
    os.waitid(os.P_PID, first, os.WEXITED | os.WNOWAIT)  # dead, not yet reaped: as the worker finds it
    assert run_warm(_sum, [2, 2]) == 4
    assert run_warm(_pid) != first


def test_a_child_is_replaced_after_its_quota_of_documents(monkeypatch):
    monkeypatch.setattr(sandbox, "DOCUMENTS_PER_CHILD", 3)
    pids = [run_warm(_pid) for _ in range(7)]
    assert pids[0] == pids[1] == pids[2] != pids[3] == pids[4] == pids[5] != pids[6]


def test_closing_waits_for_the_children_so_their_cpu_is_counted():
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = run_warm(_pid)
    run_warm(_spin_for, 0.2)
    close_warm_children()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    assert after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime >= 0.15
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped: no zombie left behind


def _spin_for(seconds: float) -> None:
    started = time.process_time()
    while time.process_time() - started < seconds:
        pass


def test_a_forked_process_gets_its_own_child_not_its_parents():
    parent_child = run_warm(_pid)
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the forked process reports through the pipe
        code = 1
        try:
            os.close(read_fd)
            os.write(write_fd, str(run_warm(_pid)).encode())
            close_warm_children()
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        theirs = int(pipe.read())
    _, status = os.waitpid(pid, 0)
    assert os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0
    assert theirs not in (parent_child, pid, os.getpid())
    assert run_warm(_pid) == parent_child  # the parent's own child still answers


def test_hostile_documents_in_a_warm_child_leave_it_usable_for_the_next_invoice():
    for _ in range(2):
        with pytest.raises(DocumentTooLarge, match="needs more memory to read than any invoice"):
            read_invoice_document(hostile.pdf_bomb_behind_hex(), "bomb.pdf")
        assert read_invoice_document(hostile.text_pdf("2027-0301"), "f.pdf").invoice_number == "2027-0301"
