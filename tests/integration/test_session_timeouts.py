"""PostgreSQL sessions end an abandoned transaction and a lock wait on their own, and survive a dropped
connection."""

import pytest
import sqlalchemy as sa

from worker.db.session import make_engine

pytestmark = pytest.mark.integration


def test_postgres_sessions_carry_the_timeouts(postgres_url):
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(sa.text("SHOW idle_in_transaction_session_timeout")).scalar() == "1min"
            assert conn.execute(sa.text("SHOW lock_timeout")).scalar() == "30s"
    finally:
        engine.dispose()


def test_a_connection_the_server_ended_is_replaced_on_checkout(postgres_url):
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as conn:
            pid = conn.execute(sa.text("SELECT pg_backend_pid()")).scalar()
        admin = sa.create_engine(postgres_url)
        with admin.begin() as conn:  # as a PostgreSQL restart would, for this one pooled connection
            assert conn.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": pid}).scalar()
        admin.dispose()
        with engine.connect() as conn:  # pool_pre_ping notices and reconnects: no error reaches the caller
            assert conn.execute(sa.text("SELECT pg_backend_pid()")).scalar() != pid
    finally:
        engine.dispose()
