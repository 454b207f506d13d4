"""The retry schedule: tenacity's formula, non-decreasing up to its cap, jitter within bounds, a fixed end."""

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tenacity import RetryCallState, wait_exponential_jitter

from worker.domain.retry_schedule import DEFAULT_RETRY_SCHEDULE, RetrySchedule

T0 = datetime(2027, 1, 14, 9, tzinfo=UTC)

schedules = st.builds(
    lambda initial, base, cap_factor, jitter_share, attempts: RetrySchedule(
        initial=initial, exp_base=base, cap=initial * cap_factor, jitter=jitter_share * initial * (base - 1),
        attempts=attempts),
    st.floats(1, 3600), st.floats(1, 5), st.floats(1, 1000), st.floats(0, 1), st.integers(1, 30))


@given(schedules, st.integers(0, 2**32 - 1))
def test_delays_never_shrink_and_never_pass_the_cap(schedule, seed):
    rng = random.Random(seed)
    delays = [schedule.delay(n, rng).total_seconds() for n in range(1, 40)]
    assert all(a <= b + 1e-6 for a, b in zip(delays, delays[1:], strict=False))
    assert all(0 < d <= schedule.cap + 1e-6 for d in delays)  # timedelta keeps microseconds


@given(schedules, st.integers(1, 40), st.integers(0, 2**32 - 1))
def test_each_delay_lies_within_its_jitter_band(schedule, attempt, seed):
    base = schedule.initial * schedule.exp_base ** (attempt - 1)
    delay = schedule.delay(attempt, random.Random(seed)).total_seconds()
    assert min(base, schedule.cap) - 1e-6 <= delay <= min(base + schedule.jitter, schedule.cap) + 1e-6


@pytest.mark.parametrize("attempt", range(1, 12))
def test_the_formula_is_tenacitys(attempt):
    """Same random draw, same wait as tenacity's own `wait_exponential_jitter`."""
    schedule = DEFAULT_RETRY_SCHEDULE
    wait = wait_exponential_jitter(multiplier=schedule.initial, max=schedule.cap, exp_base=schedule.exp_base,
                                   jitter=schedule.jitter)
    state = RetryCallState(None, None, (), {})
    state.attempt_number = attempt
    random.seed(attempt)  # tenacity draws from the module's global generator
    expected = wait(state)
    assert schedule.delay(attempt, random.Random(attempt)).total_seconds() == pytest.approx(expected)


def test_the_default_gives_up_after_eight_attempts_about_a_day_later():
    rng = random.Random(7)
    at, attempts = T0, 1
    while (following := DEFAULT_RETRY_SCHEDULE.next_attempt(attempts, at, rng)) is not None:
        at, attempts = following, attempts + 1
    assert attempts == 8
    assert timedelta(hours=21) <= at - T0 <= timedelta(hours=22)


def test_a_jitter_that_could_shrink_a_delay_is_refused():
    with pytest.raises(ValueError, match="jitter"):
        RetrySchedule(initial=60, exp_base=2, jitter=61)
