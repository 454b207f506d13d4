"""Which failures are the message's fault, the infrastructure's, or ours; and how long a retry waits."""

from datetime import timedelta

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from mailer.message import MalformedMessage
from worker.usecases.inbound_faults import Fault, classify, describe, retry_delay
from worker.usecases.quarantine import InvoiceUnusable, Quarantined


class AdminShutdown(Exception):
    """Stands for psycopg's error when an administrator terminated the connection."""


def _wrapped(cause: Exception) -> Exception:
    try:
        try:
            raise cause
        except Exception as inner:
            raise RuntimeError("while routing") from inner
    except RuntimeError as outer:
        return outer


@pytest.mark.parametrize(("error", "fault"), [
    (OperationalError("SELECT 1", {}, AdminShutdown("terminating connection due to administrator command")),
     Fault.TRANSIENT),
    (OperationalError("UPDATE invoices", {}, Exception("canceling statement due to lock timeout")), Fault.TRANSIENT),
    (ConnectionResetError(104, "Connection reset by peer"), Fault.TRANSIENT),
    (TimeoutError("timed out"), Fault.TRANSIENT),
    (_wrapped(OperationalError("SELECT 1", {}, Exception("server closed the connection"))), Fault.TRANSIENT),
    (Quarantined("unknown sender"), Fault.BAD_INPUT),
    (InvoiceUnusable("no invoice", 1, {}), Fault.BAD_INPUT),
    (MalformedMessage("the MIME structure nests too deeply"), Fault.BAD_INPUT),
    (RecursionError("maximum recursion depth exceeded"), Fault.BAD_INPUT),
    (UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"), Fault.BAD_INPUT),
    (KeyError("total"), Fault.BUG),
    (AttributeError("'NoneType' object has no attribute 'id'"), Fault.BUG),
    (IntegrityError("INSERT", {}, Exception("duplicate key")), Fault.BUG),
    (ProgrammingError("SELECT", {}, Exception("syntax error")), Fault.BUG),
])
def test_each_failure_is_sorted_by_who_must_act(error, fault):
    assert classify(error) is fault


def test_the_back_off_doubles_from_thirty_seconds_to_at_most_an_hour():
    assert [retry_delay(n) for n in (1, 2, 3, 4)] == [timedelta(seconds=s) for s in (30, 60, 120, 240)]
    assert retry_delay(8) == timedelta(hours=1) and retry_delay(10_000) == timedelta(hours=1)
    assert retry_delay(0) == timedelta(seconds=30)


def test_a_database_error_is_described_without_its_sql_parameters():
    error = OperationalError("INSERT INTO inbound_messages (raw) VALUES (%(raw)s)", {"raw": b"secret mail body"},
                             AdminShutdown("terminating connection due to administrator command\nDETAIL: x"))
    text = describe(error)
    assert text == "AdminShutdown: terminating connection due to administrator command"
    assert "secret" not in text and "INSERT" not in text
