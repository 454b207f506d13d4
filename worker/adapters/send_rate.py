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

# KEYS: the message's reservation, then its buckets; ARGV: now (s), ttl (s), then per bucket its rate (tokens/s)
# and capacity. Returns the wait in seconds as a string ("0": go now).
#
# A message over the rate takes its token anyway (the bucket goes below zero) and keeps a reservation for the
# moment the bucket pays it back: a burst of a thousand is spread out at the rate, each message told its own
# time once, instead of all of them coming back together to find the bucket empty again.
_TAKE = """
local now, ttl = tonumber(ARGV[1]), tonumber(ARGV[2])
local reserved = tonumber(redis.call('GET', KEYS[1]))
if reserved then
  if now + 0.001 >= reserved then
    redis.call('DEL', KEYS[1])
    return '0'
  end
  return tostring(reserved - now)
end
local wait = 0
for i = 2, #KEYS do
  local rate, cap = tonumber(ARGV[2 * i - 1]), tonumber(ARGV[2 * i])
  local saved = redis.call('HMGET', KEYS[i], 't', 'ts')
  local tokens, ts = tonumber(saved[1]) or cap, tonumber(saved[2]) or now
  if now < ts then ts = now end  -- the clock went back (a test, a step of the host's clock): count from now
  tokens = math.min(cap, tokens + (now - ts) * rate) - 1
  if tokens < 0 then wait = math.max(wait, -tokens / rate) end
  redis.call('HSET', KEYS[i], 't', tostring(tokens), 'ts', tostring(now))
  redis.call('EXPIRE', KEYS[i], ttl)
end
if wait > 0 then
  redis.call('SET', KEYS[1], tostring(now + wait), 'EX', math.ceil(wait) + ttl)
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

    def wait(self, business_id: int, recipients: Sequence[str], now: datetime, message: str) -> float:
        """Seconds until `message` (a key of its own, e.g. its outbox id) may go; 0.0: now. Asked again once
        the wait is over, it is let through on the tokens it took the first time."""
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
        reservation = f"{self.prefix}:reserved:{message}"
        return float(self._take(keys=[reservation, *(key for key, _ in buckets)], args=args))
