"""`dunning run` and `dunning worker` stop cleanly: SIGTERM and Ctrl-C end every process they started (API,
embedded Redis, LibreOffice) within the budget and without a traceback; kill -9 leaves nothing behind."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

from tests.e2e.processes import alive, descendants, port_open, wait_until
from tests.servers import free_port

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
UNOSERVER = REPO / ".venv-uno" / "bin" / "unoserver"
STOP_BUDGET = 10.0  # the main process has exited
ORPHAN_BUDGET = 15.0  # nothing it started is alive


def embedded_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The environment of an operator's first `dunning run`: no servers configured, everything embedded."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUNNING_")}
    return {**env, "DUNNING_DATA_DIR": str(data_dir), **extra}


def dunning(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "worker.cli", *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=120, check=True)


def start(args: list[str], env: dict[str, str], tmp_path: Path) -> tuple[subprocess.Popen[bytes], Path, Path]:
    out, err = tmp_path / "stdout.log", tmp_path / "stderr.log"
    process = subprocess.Popen([sys.executable, "-m", "worker.cli", *args], env=env, cwd=tmp_path,
                               stdout=out.open("wb"), stderr=err.open("wb"))
    return process, out, err


def logs(out: Path, err: Path) -> str:
    return f"--- stdout\n{out.read_text(errors='replace')}\n--- stderr\n{err.read_text(errors='replace')}"


def stop_and_check(process: subprocess.Popen[bytes], sig: int, family: dict[int, str], out: Path,
                   err: Path) -> None:
    """Send `sig`; the main process is gone within the budget (except after SIGKILL, which it cannot handle)
    and every process it started is gone within 15 s; no traceback on stderr."""
    sent = time.monotonic()
    process.send_signal(sig)
    try:
        process.wait(timeout=STOP_BUDGET if sig != signal.SIGKILL else ORPHAN_BUDGET)
    except subprocess.TimeoutExpired:
        process.kill()
        raise AssertionError(f"still running {STOP_BUDGET:.0f} s after {signal.Signals(sig).name}\n"
                             f"{logs(out, err)}") from None
    stopped_in = time.monotonic() - sent
    left = {}
    while time.monotonic() - sent < ORPHAN_BUDGET:
        left = {pid: cmd for pid, cmd in family.items() if alive(pid)}
        if not left:
            break
        time.sleep(0.1)
    print(f"\n{signal.Signals(sig).name}: main process gone in {stopped_in:.1f} s, all {len(family)} descendants "
          f"gone {time.monotonic() - sent:.1f} s after the signal")
    for pid in left:  # do not leave them to the next test
        os.kill(pid, signal.SIGKILL)
    assert not left, f"orphans {ORPHAN_BUDGET:.0f} s after {signal.Signals(sig).name}: {left}\n{logs(out, err)}"
    if sig != signal.SIGKILL:
        assert process.returncode == 0, logs(out, err)
        assert "Timeout reading from socket" not in err.read_text(errors="replace"), logs(out, err)
        assert "Traceback" not in err.read_text(errors="replace"), logs(out, err)
        assert stopped_in < STOP_BUDGET


def job_latency(redis_url: str) -> float:
    """Seconds from enqueueing a trivial job on the service's queue to its result."""
    import redis
    from rq import Queue

    from worker.jobs.queue import QUEUE_NAME

    client = redis.Redis.from_url(redis_url)
    started = time.monotonic()
    job = Queue(QUEUE_NAME, connection=client).enqueue("builtins.len", [1, 2])
    wait_until(lambda: job.get_status(refresh=True) == "finished", 30, "the job run")
    return time.monotonic() - started


needs_libreoffice = pytest.mark.skipif(
    shutil.which("soffice") is None or not UNOSERVER.exists(),
    reason="LibreOffice (soffice) and the unoserver venv are needed (scripts/install.sh)")


@needs_libreoffice
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_dunning_run_stops_everything_it_started(tmp_path, sig):
    port = free_port()
    env = embedded_env(tmp_path / "data", DUNNING_API_PORT=str(port), DUNNING_LETTER_FORMAT="pdf",
                       DUNNING_UNOSERVER_COMMAND=str(UNOSERVER))
    created = dunning("business", "create", "--name", "Bakkerij Jansen", "--from", "billing@jansen.example",
                      env=env, cwd=tmp_path).stdout
    key = re.search(r"API key \(shown once, keep it safe\): (\S+)", created)
    assert key, created
    process, out, err = start(["run"], env, tmp_path)
    try:
        wait_until(lambda: port_open(port) or process.poll() is not None, 90, "the API answering")
        assert process.poll() is None, logs(out, err)
        # A PDF preview makes the API start its warm LibreOffice (unoserver and soffice).
        preview = httpx.post(f"http://127.0.0.1:{port}/templates/reminder/nl/preview", params={"format": "pdf"},
                             headers={"X-API-Key": key.group(1)}, timeout=90)
        assert preview.status_code == 200 and preview.content.startswith(b"%PDF"), preview.text
        # The worker has now been idle in its blocking dequeue for several seconds: a job still starts at once.
        assert job_latency(f"unix://{tmp_path / 'data' / 'redis.sock'}") < 1.0
        family = descendants(process.pid)
        commands = " ".join(family.values())
        assert "redis-server" in commands and "worker.cli api" in commands, family
        assert "unoserver" in commands and "soffice.bin" in commands, family
        stop_and_check(process, sig, family, out, err)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


@contextmanager
def worker_holding_the_scheduler(tmp_path, redis_url):
    """`dunning worker` on its own data folder, once it holds the scheduler lease; killed if a test leaves it."""
    env = embedded_env(tmp_path / "data", DUNNING_REDIS_URL=redis_url, DUNNING_LETTER_FORMAT="docx")
    process, out, err = start(["worker"], env, tmp_path)
    try:
        wait_until(lambda: "scheduler: this process holds the lease" in err.read_text(errors="replace")
                   or process.poll() is not None, 90, "the scheduler lease taken")
        assert process.poll() is None, logs(out, err)
        yield process, out, err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_dunning_worker_forks_no_scheduler_and_leaves_nothing_after_kill_9(tmp_path, redis_url):
    import redis

    with worker_holding_the_scheduler(tmp_path, redis_url) as (process, out, err):
        client = redis.Redis.from_url(redis_url)
        wait_until(lambda: any(client.scan_iter("rq:worker:*")), 30, "the rq worker registered")
        # rq's scheduler process is gone: due jobs are moved by the elected scheduler thread.
        assert descendants(process.pid) == {}, descendants(process.pid)
        assert not list(client.scan_iter("rq:scheduler:*"))
        stop_and_check(process, signal.SIGKILL, descendants(process.pid), out, err)


def test_dunning_worker_moves_due_jobs_and_stops_on_sigterm_after_the_job_in_hand(tmp_path, redis_url):
    with worker_holding_the_scheduler(tmp_path, redis_url) as (process, out, err):
        # A job due later (as rq's retries are) is moved to the queue by the elected scheduler, in-process.
        import redis
        from rq import Queue

        from worker.jobs.queue import QUEUE_NAME

        client = redis.Redis.from_url(redis_url)
        job = Queue(QUEUE_NAME, connection=client).enqueue_in(timedelta(seconds=1), "builtins.len", [1, 2])
        assert job.get_status() == "scheduled"
        wait_until(lambda: job.get_status(refresh=True) == "finished", 30, "the scheduled job run")
        # SIGTERM while a job runs: rq's warm shutdown finishes it, then everything stops.
        in_hand = Queue(QUEUE_NAME, connection=client).enqueue("time.sleep", 2)
        wait_until(lambda: in_hand.get_status(refresh=True) == "started", 30, "the job started")
        stop_and_check(process, signal.SIGTERM, descendants(process.pid), out, err)
        assert in_hand.get_status(refresh=True) == "finished"
        assert "stopped" in err.read_text()
