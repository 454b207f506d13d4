"""Shared pytest set-up: the real-server fixtures and a clean database per test, on SQLite or PostgreSQL."""

from collections.abc import Iterator

import pytest

pytest_plugins = ["tests.servers", "tests.fault_smtp"]


@pytest.fixture(params=["sqlite", "postgresql"])
def any_database_url(request, tmp_path) -> Iterator[str]:
    """The same test on the embedded default (SQLite) and on PostgreSQL (a fresh schema each time)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'dunning.db'}"
        return
    yield request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def fresh_postgres_url(postgres_url) -> Iterator[str]:
    """Empty the session's PostgreSQL database before each test that uses it."""
    from tests.servers import empty_postgres

    empty_postgres(postgres_url)
    yield postgres_url
