"""Sort a failure while processing inbound mail by who must act: the message, the infrastructure, or us."""

import socket
from datetime import timedelta
from enum import StrEnum

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, StatementError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from mailer.message import MalformedMessage
from worker.usecases.quarantine import Quarantined

# The first retry comes soon (a restarted database is usually back in seconds); later ones spread out.
FIRST_RETRY = timedelta(seconds=30)
LONGEST_RETRY = timedelta(hours=1)


class Fault(StrEnum):
    BAD_INPUT = "bad input"  # the message itself: quarantine it with the reason, never retry
    TRANSIENT = "transient"  # database, network or lock: keep it pending and retry, never quarantine for it
    BUG = "bug"  # anything else: retry a few times, then shunt it to `failed` with its traceback


def _transient_errors() -> tuple[type[BaseException], ...]:
    found: list[type[BaseException]] = [OperationalError, InterfaceError, PoolTimeout, ConnectionError,
                                        TimeoutError, socket.gaierror]
    try:  # rq's Redis is optional in a one-shot `dunning ingest`
        from redis.exceptions import ConnectionError as RedisDown
        from redis.exceptions import TimeoutError as RedisSlow
        found += [RedisDown, RedisSlow]
    except ImportError:
        pass
    return tuple(found)


_TRANSIENT = _transient_errors()
# Errors raised by what a hostile or broken message makes our parsers do: the message is at fault.
_BAD_INPUT = (Quarantined, MalformedMessage, RecursionError, UnicodeError, MemoryError)


def classify(exc: BaseException) -> Fault:
    """Which kind of failure `exc` is; a dropped database connection is transient whatever wraps it."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return Fault.TRANSIENT
    if isinstance(exc, _TRANSIENT):
        return Fault.TRANSIENT
    if isinstance(exc, _BAD_INPUT):
        return Fault.BAD_INPUT
    cause = exc.__cause__ or exc.__context__
    if cause is not None and cause is not exc and isinstance(cause, _TRANSIENT):
        return Fault.TRANSIENT
    return Fault.BUG


def retry_delay(attempts: int) -> timedelta:
    """Back-off after `attempts` failed attempts: 30 s, 1 min, 2 min, ... at most an hour."""
    return min(LONGEST_RETRY, FIRST_RETRY * 2 ** max(0, min(attempts - 1, 20)))


def describe(exc: BaseException, limit: int = 500) -> str:
    """A short, log-safe account of `exc`: a database error without its SQL parameters (raw mail, hashes)."""
    if isinstance(exc, StatementError) and exc.orig is not None:
        first = (str(exc.orig).strip().splitlines() or [""])[0]
        return f"{type(exc.orig).__name__}: {first}"[:limit]
    return f"{type(exc).__name__}: {exc}"[:limit]
