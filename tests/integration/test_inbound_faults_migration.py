"""Migration 0011 on a real database: stored mail gets its content hash, so the same bytes stay stored once."""

import hashlib
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import MetaData, insert

from worker.db.migrate import alembic_config, upgrade
from worker.db.session import make_engine, make_session_factory
from worker.usecases.inbound_store import store_inbound

NOW = datetime(2026, 11, 30, 12, tzinfo=UTC)
RAW = b"Message-ID: <a@jansen.example>\r\nSubject: Factuur\r\n\r\nzie bijlage\r\n"


def test_mail_stored_before_the_migration_is_recognised_after_it(any_database_url):
    engine = make_engine(any_database_url)
    config = alembic_config(str(engine.url.render_as_string(hide_password=False)))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0005")
    with engine.begin() as connection:
        old = MetaData()
        old.reflect(connection, only=["inbound_messages"])
        connection.execute(insert(old.tables["inbound_messages"]).values(
            message_key="<a@jansen.example>", raw=RAW, status="processed", received_at=NOW))
    upgrade(engine)
    sessions = make_session_factory(engine)
    assert store_inbound(sessions, RAW, mailbox_uid=None, now=NOW) == (1, False)  # same bytes: stored once
    other_id, created = store_inbound(sessions, RAW + b"other\r\n", mailbox_uid=None, now=NOW)
    assert created and other_id != 1  # same Message-ID, other bytes: another message
    with engine.begin() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, content_hash, attempts, same_message_id_as FROM inbound_messages ORDER BY id").all()
    assert rows[0] == (1, hashlib.sha256(RAW).hexdigest(), 0, None)
    assert rows[1][2:] == (0, 1)
    engine.dispose()
