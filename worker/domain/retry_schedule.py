"""When a send that failed for a passing reason is tried again: exponential back-off with jitter, then give up."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random


@dataclass(frozen=True)
class RetrySchedule:
    """tenacity's `wait_exponential_jitter`: min(cap, initial * exp_base ** (attempt - 1) + uniform(0, jitter)).

    The formula is tenacity's (tests compare the two); it is written out here because the domain imports only
    the standard library and because the random source must be injected. The defaults give up after 8 attempts
    spread over about a day of waiting (5 min, 15 min, 45 min, 2 h 15, then every 6 h).
    """

    initial: float = 300.0
    exp_base: float = 3.0
    cap: float = 6 * 3600.0
    jitter: float = 60.0
    attempts: int = 8

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.initial <= 0 or self.exp_base < 1 or self.cap < self.initial:
            raise ValueError(f"not a usable retry schedule: {self}")
        # Each step grows by at least initial * (exp_base - 1): jitter up to that keeps the delays non-decreasing.
        if not 0 <= self.jitter <= self.initial * (self.exp_base - 1):
            raise ValueError(f"jitter must lie in [0, {self.initial * (self.exp_base - 1)}] seconds")

    def delay(self, attempt: int, rng: Random) -> timedelta:
        """The wait after failed attempt number `attempt` (1 = the first try)."""
        jitter = rng.uniform(0, self.jitter)
        try:
            seconds = self.initial * self.exp_base ** (attempt - 1) + jitter
        except OverflowError:
            seconds = self.cap
        return timedelta(seconds=max(0.0, min(seconds, self.cap)))

    def next_attempt(self, attempt: int, failed_at: datetime, rng: Random) -> datetime | None:
        """When to try again after failed attempt `attempt`, or None: that was the last one."""
        if attempt >= self.attempts:
            return None
        return failed_at + self.delay(attempt, rng)


DEFAULT_RETRY_SCHEDULE = RetrySchedule()
