"""The last tick's duration and finish time, kept in Redis so a scrape from any process can read them."""

from dataclasses import dataclass
from datetime import datetime

from redis import Redis

KEY = "dunning:tick:last"


@dataclass(frozen=True)
class TickStats:
    duration_seconds: float
    finished_at: float  # Unix time of the tick's clock
    ticks: int  # ticks finished since this Redis started keeping the key


def record_tick(redis: Redis, duration_seconds: float, finished_at: datetime) -> None:
    with redis.pipeline() as pipe:
        pipe.hset(KEY, mapping={"duration_seconds": duration_seconds, "finished_at": finished_at.timestamp()})
        pipe.hincrby(KEY, "ticks", 1)
        pipe.execute()


def last_tick(redis: Redis) -> TickStats | None:
    return tick_stats(redis.hgetall(KEY))  # type: ignore[arg-type]


def tick_stats(values: dict[bytes, bytes]) -> TickStats | None:
    """The stats from the raw hash at KEY (read alone or inside a caller's pipeline); None before any tick."""
    fields = {k.decode(): v.decode() for k, v in values.items()}
    if "duration_seconds" not in fields:
        return None
    return TickStats(float(fields["duration_seconds"]), float(fields["finished_at"]), int(fields.get("ticks", 0)))
