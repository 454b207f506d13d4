"""`dunning api --workers N` and DUNNING_API_WORKERS: N processes answer on one port, and SIGTERM, Ctrl-C or kill -9
of the parent (or of `dunning run` above it) leaves none of them behind."""

from __future__ import annotations

import re
import signal

import httpx
import pytest

from tests.e2e.processes import descendants, port_open, wait_until
from tests.e2e.test_lifecycle import dunning, embedded_env, logs, start, stop_and_check
from tests.servers import free_port

pytestmark = pytest.mark.integration


def _business(env: dict[str, str], tmp_path) -> str:  # type: ignore[no-untyped-def]
    created = dunning("business", "create", "--name", "Bakkerij Jansen", "--from", "billing@jansen.example",
                      env=env, cwd=tmp_path).stdout
    key = re.search(r"API key \(shown once, keep it safe\): (\S+)", created)
    assert key, created
    return key.group(1)


def _workers(root: int) -> dict[int, str]:
    return {pid: cmd for pid, cmd in descendants(root).items() if "--listen-fd" in cmd}


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=["SIGTERM", "SIGINT", "SIGKILL"])
def test_dunning_api_with_workers_answers_on_one_port_and_stops_them_all(tmp_path, sig):
    port = free_port()
    env = embedded_env(tmp_path / "data", DUNNING_API_PORT=str(port), DUNNING_LETTER_FORMAT="docx")
    key = _business(env, tmp_path)
    process, out, err = start(["api", "--workers", "3"], env, tmp_path)
    try:
        wait_until(lambda: len(_workers(process.pid)) == 3 or process.poll() is not None, 60, "three workers")
        wait_until(lambda: port_open(port) or process.poll() is not None, 60, "the API answering")
        assert process.poll() is None, logs(out, err)
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers={"X-API-Key": key}, timeout=30) as client:
            answers = [client.get("/invoices") for _ in range(6)]
        assert [a.status_code for a in answers] == [200] * 6 and answers[0].json() == []
        wrong = httpx.get(f"http://127.0.0.1:{port}/invoices", headers={"X-API-Key": "dk_" + "x" * 40}, timeout=30)
        assert wrong.status_code == 401, wrong.text
        stop_and_check(process, sig, descendants(process.pid), out, err)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_dunning_run_with_api_workers_leaves_nothing_after_kill_9(tmp_path):
    port = free_port()
    env = embedded_env(tmp_path / "data", DUNNING_API_PORT=str(port), DUNNING_LETTER_FORMAT="docx",
                       DUNNING_API_WORKERS="2")
    _business(env, tmp_path)
    process, out, err = start(["run"], env, tmp_path)
    try:
        wait_until(lambda: len(_workers(process.pid)) == 2 or process.poll() is not None, 90, "two API workers")
        wait_until(lambda: port_open(port) or process.poll() is not None, 90, "the API answering")
        assert process.poll() is None, logs(out, err)
        family = descendants(process.pid)
        assert "redis-server" in " ".join(family.values()), family
        stop_and_check(process, signal.SIGKILL, family, out, err)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
