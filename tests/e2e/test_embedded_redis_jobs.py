"""`dunning run` on the embedded Redis: a queued job starts at once, also after the worker sat in its blocking
dequeue longer than redis-py's default socket timeout, and nothing logs a Redis timeout."""

from __future__ import annotations

import signal
import time

import pytest

from tests.e2e.processes import wait_until
from tests.e2e.test_lifecycle import embedded_env, job_latency, logs, start
from tests.servers import free_port

pytestmark = pytest.mark.integration

# redis-py's default socket timeout: a blocking dequeue (405 s) on a connection that kept it timed out after 5 s,
# and rq backed off up to a minute before dequeuing again (jobs 40-180 s late, "Timeout reading from socket").
REDIS_PY_SOCKET_TIMEOUT = 5.0


def test_a_job_queued_on_the_embedded_redis_starts_within_a_second(tmp_path):
    from redis import Redis
    from rq import Worker

    from worker.jobs.queue import queue

    env = embedded_env(tmp_path / "data", DUNNING_API_PORT=str(free_port()), DUNNING_LETTER_FORMAT="docx")
    process, out, err = start(["run"], env, tmp_path)
    url = f"unix://{tmp_path / 'data' / 'redis.sock'}"
    try:
        wait_until(lambda: (tmp_path / "data" / "redis.sock").exists() or process.poll() is not None, 60,
                   "the embedded Redis")
        client = Redis.from_url(url)
        wait_until(lambda: process.poll() is not None or Worker.count(queue=queue(client)) > 0, 60,
                   "the rq worker registered")
        assert process.poll() is None, logs(out, err)
        first = job_latency(url)
        # A real socket's timeout cannot be moved by a test clock: the worker must really sit in its blocking
        # dequeue past redis-py's default socket timeout, where the old failure began.
        time.sleep(REDIS_PY_SOCKET_TIMEOUT + 1.5)
        after_idle = job_latency(url)
        print(f"\njob latency on the embedded Redis: first {first * 1000:.0f} ms, after "
              f"{REDIS_PY_SOCKET_TIMEOUT + 1.5:.1f} s idle {after_idle * 1000:.0f} ms")
        assert after_idle < 5.0 and first < 5.0, logs(out, err)  # generous: measured ~10 ms (see the bench)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=20)
        stderr = err.read_text(errors="replace")
        assert "Timeout reading from socket" not in stderr and "could not connect to Redis" not in stderr, stderr
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
