"""The server fixtures themselves: Redis and PostgreSQL answer and are ours alone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_redis_database_is_flushed_and_usable(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    assert set(client.keys()) <= {b"dunning:test-session-claim"}
    client.set("probe", "1")
    assert client.get("probe") == b"1"
    client.delete("probe")


def test_postgres_database_is_fresh(postgres_url):
    import sqlalchemy as sa

    assert postgres_url.startswith("postgresql+psycopg://")
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        tables = conn.execute(sa.text("select count(*) from pg_tables where schemaname = 'public'")).scalar()
        assert tables == 0
    engine.dispose()
