"""Fixtures of the end-to-end stories: a fresh mailbox and database per story, real servers throughout."""

import pytest

from tests.e2e.harness import Service, make_service


@pytest.fixture
def service(dovecot, smtp_server, redis_url, fresh_postgres_url, tmp_path) -> Service:
    import redis

    client = redis.Redis.from_url(redis_url)
    for key in client.scan_iter("rq:*"):  # only rq's keys: the session's claim on this database stays
        client.delete(key)
    smtp_server.clear()
    return make_service(account=dovecot.new_account("svc"), smtp_url=smtp_server.url, redis_url=redis_url,
                        database_url=fresh_postgres_url, data_dir=tmp_path)
