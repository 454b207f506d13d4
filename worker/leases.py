"""Leases that let exactly one process of many hold a duty (the mailbox watcher, the scheduler)."""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import socket
import threading
from pathlib import Path
from typing import Protocol

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

log = logging.getLogger(__name__)


def holder_name() -> str:
    """How this process names itself to the other candidates (and to an operator reading pg_stat_activity)."""
    return f"pid {os.getpid()} on {socket.gethostname()}"


class Lease(Protocol):
    name: str

    def acquire(self) -> bool:
        """Take the lease if nobody holds it; True when this process holds it now."""
        ...

    def held(self) -> bool:
        """Whether this process still holds the lease (checked before each pass of the duty)."""
        ...

    def holder(self) -> str | None:
        """Who holds the lease, as far as can be told (for the log)."""
        ...

    def release(self) -> None: ...


def advisory_key(name: str) -> int:
    """A stable key for pg_advisory_lock, the same in every process and release; non-negative so that pg_locks'
    (classid << 32 | objid) reads it back unchanged."""
    return int.from_bytes(hashlib.sha256(f"dunning:{name}".encode()).digest()[:8], "big") >> 1


class PostgresLease:
    """A session-level advisory lock on a connection of its own: the server frees it when the holder's
    connection ends, whether the holder stopped, was killed with -9, or lost its network."""

    # Keepalives notice a vanished peer in ~20 s instead of the kernel's two hours; the statement timeout
    # keeps a check from hanging on a server that accepts but does not answer.
    _CONNECT_ARGS = {"connect_timeout": 5, "keepalives": 1, "keepalives_idle": 10, "keepalives_interval": 5,
                     "keepalives_count": 2, "options": "-c statement_timeout=5000"}

    def __init__(self, database_url: str, name: str) -> None:
        self.name = name
        self.key = advisory_key(name)
        self._application_name = f"dunning {name} lease, {holder_name()}"[:63]
        self._engine = create_engine(
            make_url(database_url), poolclass=NullPool, isolation_level="AUTOCOMMIT",
            connect_args={**self._CONNECT_ARGS, "application_name": self._application_name})
        self._connection: Connection | None = None
        self._holding = False
        self._lock = threading.Lock()

    def _connect(self) -> Connection:
        if self._connection is None:
            self._connection = self._engine.connect()
        return self._connection

    def _drop(self) -> None:
        connection, self._connection, self._holding = self._connection, None, False
        if connection is not None:
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - the connection is already broken; the server frees the lock
                log.debug("closing the %s lease connection failed", self.name, exc_info=True)

    def acquire(self) -> bool:
        with self._lock:
            if self._holding:
                return self._check()
            try:
                self._holding = bool(self._connect().execute(
                    text("SELECT pg_try_advisory_lock(:key)"), {"key": self.key}).scalar())
            except Exception as exc:  # noqa: BLE001 - database away: stand by and try again later
                log.warning("%s lease: database unreachable (%s)", self.name, exc.__class__.__name__)
                self._drop()
            return self._holding

    def _check(self) -> bool:
        try:
            mine = bool(self._connect().execute(text(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted "
                "AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = :key)"),
                {"key": self.key}).scalar())
        except Exception as exc:  # noqa: BLE001 - a lost connection means a lost lock
            log.warning("%s lease: connection lost (%s); the lease is gone", self.name, exc.__class__.__name__)
            mine = False
        if not mine:
            self._drop()
        return mine

    def held(self) -> bool:
        with self._lock:
            return self._holding and self._check()

    def holder(self) -> str | None:
        with self._lock:
            try:
                return self._connect().execute(text(
                    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.database = "
                    "(SELECT oid FROM pg_database WHERE datname = current_database()) "
                    "AND ((l.classid::bigint << 32) | l.objid::bigint) = :key"), {"key": self.key}).scalar()
            except Exception:  # noqa: BLE001 - only for the log
                self._drop()
                return None

    def release(self) -> None:
        with self._lock:
            if self._holding and self._connection is not None:
                try:
                    self._connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": self.key})
                except Exception:  # noqa: BLE001 - closing the connection below frees it anyway
                    log.debug("unlocking the %s lease failed", self.name, exc_info=True)
            self._drop()
            self._engine.dispose()


class FileLease:
    """An flock on a file beside the SQLite database: one host, any number of processes; the kernel frees it
    when the holder's file descriptor closes, kill -9 included."""

    def __init__(self, path: Path, name: str) -> None:
        self.name = name
        self.path = path
        self._fd: int | None = None
        self._lock = threading.Lock()

    def acquire(self) -> bool:
        with self._lock:
            if self._fd is not None:
                return self._check()
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
            try:
                # flock, not lockf: its lock belongs to the open file, so two leases in one process exclude each
                # other as two processes do.
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(fd)
                return False
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{holder_name()}\n".encode(), 0)
            self._fd = fd
            return True

    def _check(self) -> bool:
        try:
            mine = self._fd is not None and os.fstat(self._fd).st_ino == os.stat(self.path).st_ino
        except OSError:  # the file was removed: another process may lock a new one
            mine = False
        if not mine:
            self._close()
        return mine

    def held(self) -> bool:
        with self._lock:
            return self._fd is not None and self._check()

    def holder(self) -> str | None:
        try:
            return self.path.read_text().strip() or None
        except OSError:
            return None

    def _close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            os.close(fd)  # closing the descriptor releases the flock

    def release(self) -> None:
        with self._lock:
            self._close()


def lease_for(database_url: str, data_dir: Path, name: str) -> Lease:
    """The lease kind that matches the database: an advisory lock on PostgreSQL, else a lock file beside the
    SQLite file (the processes that share that file share the lease)."""
    url = make_url(database_url)
    if url.get_backend_name() == "postgresql":
        return PostgresLease(database_url, name)
    folder = Path(url.database).resolve().parent if url.database and url.database != ":memory:" else data_dir
    return FileLease(folder / f"dunning-{name}.lease", name)
