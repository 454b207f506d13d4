"""Send rates per business and per recipient domain, shared by every worker: token buckets in Redis.

A burst (a thousand reminders decided in one tick) must not reach one provider faster than it accepts mail from
one sender, or the business's domain ends up on a blocklist. Each message takes one token from its business's
bucket and one from the bucket of each recipient domain (per business); when any is empty, nothing is taken and
the caller is told how long to wait. Time is the caller's `now` (the job's clock), so tests move it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from redis import Redis

# KEYS: the buckets; ARGV: now (s), ttl (s), then per bucket its rate (tokens/s) and capacity.
# Returns the wait in seconds as a string ("0": a token was taken from every bucket).
_TAKE = """
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
local wait, state = 0, {}
for i, key in ipairs(KEYS) do
  local rate, cap = tonumber(ARGV[1 + 2 * i]), tonumber(ARGV[2 + 2 * i])
  local saved = redis.call('HMGET', key, 't', 'ts')
  local tokens, ts = tonumber(saved[1]) or cap, tonumber(saved[2]) or now
  if now < ts then ts = now end  -- the clock went back (a test, a step of the host's clock): count from now
  tokens = math.min(cap, tokens + (now - ts) * rate)
  state[i] = tokens
  if tokens < 1 then wait = math.max(wait, (1 - tokens) / rate) end
end
for i, key in ipairs(KEYS) do
  local tokens = state[i]
  if wait == 0 then tokens = tokens - 1 end
  redis.call('HSET', key, 't', tostring(tokens), 'ts', tostring(now))
  redis.call('EXPIRE', key, ttl)
end
return tostring(wait)
"""

# A bucket holds this share of a minute's allowance: a burst goes out at once up to it, then at the rate.
BURST_SECONDS = 10


@dataclass(frozen=True)
class Limit:
    per_minute: int  # 0: no limit

    @property
    def rate(self) -> float:
        return self.per_minute / 60

    @property
    def capacity(self) -> float:
        return max(1.0, self.rate * BURST_SECONDS)


class SendRate:
    """The buckets of all workers, in one Redis."""

    def __init__(self, redis: Redis, per_business: int, per_domain: int, prefix: str = "dunning:send-rate") -> None:
        self.redis = redis
        self.business, self.domain = Limit(per_business), Limit(per_domain)
        self.prefix = prefix
        self._take = redis.register_script(_TAKE)

    def wait(self, business_id: int, recipients: Sequence[str], now: datetime) -> float:
        """Seconds until this message may go (0.0: go now, its tokens are taken)."""
        buckets: list[tuple[str, Limit]] = []
        if self.business.per_minute:
            buckets.append((f"{self.prefix}:b{business_id}", self.business))
        if self.domain.per_minute:
            domains = sorted({r.rpartition("@")[2].lower() for r in recipients if "@" in r})
            buckets += [(f"{self.prefix}:b{business_id}:{d}", self.domain) for d in domains]
        if not buckets:
            return 0.0
        ttl = int(max(limit.capacity / limit.rate for _, limit in buckets)) + 60
        args: list[float] = [now.timestamp(), ttl]
        for _, limit in buckets:
            args += [limit.rate, limit.capacity]
        return float(self._take(keys=[key for key, _ in buckets], args=args))
