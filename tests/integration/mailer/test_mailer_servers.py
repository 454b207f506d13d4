"""The server fixtures themselves: Redis and PostgreSQL answer and are ours alone."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration


def test_redis_database_is_claimed_and_usable(redis_url):
    import redis

    client = redis.Redis.from_url(redis_url)
    # the claim key marks this test session's database, so parallel sessions never flush each other's
    assert client.get("dunning:test-session-claim")
    client.set("probe", "1")
    assert client.get("probe") == b"1"
    client.delete("probe")


def test_postgres_database_is_a_private_one(postgres_url):
    import sqlalchemy as sa

    assert postgres_url.startswith("postgresql+psycopg://")
    engine = sa.create_engine(postgres_url)
    with engine.connect() as conn:
        name = conn.execute(sa.text("select current_database()")).scalar()
    engine.dispose()
    assert name.startswith("dunning_test_") and postgres_url.endswith(f"/{name}")
