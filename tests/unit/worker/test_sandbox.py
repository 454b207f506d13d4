"""run_contained: results and exceptions come back; memory and time blow-ups become ContainedFailure."""

from __future__ import annotations

import pytest

from parsers.invoice import DocumentTooLarge, NotAnInvoice
from tests.factories import hostile
from worker.adapters.contained_documents import read_invoice_document
from worker.sandbox import ContainedFailure, Limits, run_contained


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
