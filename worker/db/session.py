"""Engine and session factory for SQLite (default) or PostgreSQL."""

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

from worker.db.fact_changes import watch_facts

# PostgreSQL only. No job keeps a transaction open while it waits on the network for long (the send job claims,
# commits, then sends), so a minute idle inside one means its holder is gone or stuck.
IDLE_IN_TRANSACTION_MS = 60_000
LOCK_TIMEOUT_MS = 30_000


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL and a busy timeout so API and worker can share the file."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record):  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine
    # pool_pre_ping: a connection the server dropped (PostgreSQL restarted) is replaced on checkout instead of
    # failing a job. The server-side timeouts end a session a crashed or stuck process left idle in a
    # transaction and stop a statement from queueing on a lock for ever; keepalives notice a vanished server.
    return create_engine(url, pool_pre_ping=True, connect_args={
        "connect_timeout": 10, "keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10,
        "keepalives_count": 3,
        "options": f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS} -c lock_timeout={LOCK_TIMEOUT_MS}",
    })


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so jobs can log what they did; every change of a fact a
    reminder decision reads marks the invoices concerned for the next tick (see `fact_changes`)."""
    return watch_facts(sessionmaker(engine, expire_on_commit=False))
