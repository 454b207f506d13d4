"""Seconds from enqueueing a trivial job on the embedded Redis of `dunning run` to its result, after idling.

Starts `dunning run` on the embedded defaults (SQLite, Maildir, its own redis-server on a unix socket) in a
temp folder, waits for its rq worker, lets it sit in its blocking dequeue for longer than redis-py's default
socket timeout (5 s, where "Timeout reading from socket" and late jobs began), then measures. Run:

    .venv/bin/python bench/bench_job_latency.py --jobs 20

The LAST line is JSON: {"jobs", "idle_s", "first_ms", "median_ms", "max_ms", "timeouts_logged"}.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _latency(client, queue_name: str) -> float:  # type: ignore[no-untyped-def]
    from rq import Queue

    started = time.monotonic()
    job = Queue(queue_name, connection=client).enqueue("builtins.len", [1, 2])
    while job.get_status(refresh=True) != "finished":
        if time.monotonic() - started > 300:
            raise TimeoutError("the job did not run within 300 s")
        time.sleep(0.002)
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--idle", type=float, default=6.5, help="seconds idle before each measured job")
    args = parser.parse_args()
    from redis import Redis
    from rq import Worker

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from worker.jobs.queue import QUEUE_NAME, queue

    root = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUNNING_")}
    env |= {"DUNNING_DATA_DIR": str(root / "data"), "DUNNING_API_PORT": str(_free_port()),
            "DUNNING_LETTER_FORMAT": "docx"}
    err = root / "stderr.log"
    process = subprocess.Popen([sys.executable, "-m", "worker.cli", "run"], env=env, cwd=root,
                               stdout=subprocess.DEVNULL, stderr=err.open("wb"))
    try:
        sock = root / "data" / "redis.sock"
        deadline = time.monotonic() + 60
        while not sock.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        client = Redis.from_url(f"unix://{sock}")
        while Worker.count(queue=queue(client)) == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        first = _latency(client, QUEUE_NAME)
        times = []
        for _ in range(args.jobs):
            time.sleep(args.idle)  # the worker sits in its blocking dequeue meanwhile: that is what is measured
            times.append(_latency(client, QUEUE_NAME))
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
        log = err.read_text(errors="replace")
        print(json.dumps({"jobs": args.jobs, "idle_s": args.idle, "first_ms": round(first * 1000, 1),
                          "median_ms": round(statistics.median(times) * 1000, 1),
                          "max_ms": round(max(times) * 1000, 1),
                          "timeouts_logged": log.count("Timeout reading from socket")
                          + log.count("could not connect to Redis")}))
        return 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


if __name__ == "__main__":
    raise SystemExit(main())
