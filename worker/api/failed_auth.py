"""Failed-authentication limit per client: a sliding window of failure times, kept in this process."""

import ipaddress
import math
import threading
from collections import deque
from datetime import datetime, timedelta


def client_key(host: str) -> str:
    """Whom failures are counted against: the IPv4 address, or the IPv6 /64 (one subscriber's whole network,
    which a guesser could otherwise walk through to get fresh tries)."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


class FailedAuthLimiter:
    """After `limit` failed authentications within `window`, a client is refused until the oldest ages out.

    Only failures count (a client using its right key is never slowed), and refused attempts do not count,
    so a guesser gets at most `limit` tries per window. The clock is the caller's `now`, so tests move time.
    In-process: each API process keeps its own counts (`dunning run` starts one).
    """

    def __init__(self, *, limit: int, window: timedelta, max_clients: int = 10_000) -> None:
        self.limit = limit
        self.window = window
        self.max_clients = max_clients
        self._failures: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()  # sync route dependencies run in a thread pool

    def retry_after(self, client: str, now: datetime) -> int | None:
        """Whole seconds until `client` may try again, or None when it may try now."""
        with self._lock:
            failures = self._recent(client, now)
            if failures is None or len(failures) < self.limit:
                return None
            return max(1, math.ceil((failures[0] + self.window - now).total_seconds()))

    def record_failure(self, client: str, now: datetime) -> None:
        with self._lock:
            failures = self._recent(client, now)
            if failures is None:
                self._make_room(now)
                failures = self._failures[client] = deque()
            failures.append(now)

    def _recent(self, client: str, now: datetime) -> deque[datetime] | None:
        failures = self._failures.get(client)
        if failures is None:
            return None
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[client]
            return None
        return failures

    def _make_room(self, now: datetime) -> None:
        """Bound memory when many addresses fail: forget clients with no recent failure, then the oldest."""
        if len(self._failures) < self.max_clients:
            return
        for client in [c for c, f in self._failures.items() if f[-1] <= now - self.window]:
            del self._failures[client]
        while len(self._failures) >= self.max_clients:
            del self._failures[next(iter(self._failures))]
