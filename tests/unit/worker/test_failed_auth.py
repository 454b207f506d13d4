"""The failed-authentication limiter: a sliding window per client, moved by the caller's clock."""

from datetime import UTC, datetime, timedelta

from worker.api.failed_auth import FailedAuthLimiter, client_key

T0 = datetime(2027, 1, 1, 12, tzinfo=UTC)


def limiter(limit: int = 3, seconds: int = 60, **kw) -> FailedAuthLimiter:
    return FailedAuthLimiter(limit=limit, window=timedelta(seconds=seconds), **kw)


def test_a_client_is_refused_after_the_limit_until_its_oldest_failure_ages_out():
    guard = limiter()
    for second in (0, 10, 20):
        assert guard.retry_after("1.2.3.4", T0 + timedelta(seconds=second)) is None
        guard.record_failure("1.2.3.4", T0 + timedelta(seconds=second))
    assert guard.retry_after("1.2.3.4", T0 + timedelta(seconds=20)) == 40
    assert guard.retry_after("1.2.3.4", T0 + timedelta(seconds=59, microseconds=500_000)) == 1
    # the window slides: at 60 s the first failure is out, one more try is allowed, not a full new batch
    assert guard.retry_after("1.2.3.4", T0 + timedelta(seconds=60)) is None
    guard.record_failure("1.2.3.4", T0 + timedelta(seconds=60))
    assert guard.retry_after("1.2.3.4", T0 + timedelta(seconds=60)) == 10


def test_other_clients_are_not_affected():
    guard = limiter(limit=1)
    guard.record_failure("1.2.3.4", T0)
    assert guard.retry_after("1.2.3.4", T0) == 60
    assert guard.retry_after("5.6.7.8", T0) is None


def test_failures_older_than_the_window_do_not_add_up():
    guard = limiter(limit=2)
    for minute in range(5):
        guard.record_failure("1.2.3.4", T0 + timedelta(minutes=minute))
        assert guard.retry_after("1.2.3.4", T0 + timedelta(minutes=minute)) is None


def test_memory_stays_bounded_when_many_addresses_fail():
    guard = limiter(limit=1, max_clients=3)
    for n in range(3):
        guard.record_failure(f"10.0.0.{n}", T0)
    guard.record_failure("10.0.0.9", T0 + timedelta(seconds=1))  # full, nothing expired: the oldest goes
    assert len(guard._failures) == 3 and "10.0.0.0" not in guard._failures
    guard.record_failure("10.0.0.8", T0 + timedelta(seconds=60.5))  # full again: the expired ones go first
    assert set(guard._failures) == {"10.0.0.9", "10.0.0.8"}


def test_ipv6_clients_are_counted_per_64_network():
    assert client_key("2001:db8:1:2:aaaa::1") == client_key("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert client_key("2001:db8:1:3::1") != client_key("2001:db8:1:2::1")
    assert client_key("203.0.113.5") == "203.0.113.5"
    assert client_key("::ffff:203.0.113.5") == "203.0.113.5"  # IPv4 seen through an IPv6 socket
    assert client_key("testclient") == "testclient"
