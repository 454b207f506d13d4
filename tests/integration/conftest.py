"""Fixtures many integration tests share: a migrated database of either kind, an SMTP sender to the test server."""

import pytest

from mailer.sender import SmtpSender
from worker.db.migrate import upgrade
from worker.db.session import make_engine, make_session_factory


@pytest.fixture
def sessions(any_database_url):
    """Sessions on a freshly migrated database (SQLite and PostgreSQL through `any_database_url`)."""
    engine = make_engine(any_database_url)
    upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def smtp(smtp_server):
    """A sender to the session's SMTP test server, emptied before and after."""
    smtp_server.clear()
    yield SmtpSender(smtp_server.host, smtp_server.port)
    smtp_server.clear()
