"""The black-box contract an outside probe checks: `dunning run` on embedded defaults answers /ready with every
dependency it uses, and /metrics with a counter of inbound messages that moves when mail arrives."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families

from tests.servers import free_port

ROOT = Path(__file__).resolve().parents[2]


def _inbound(base: str) -> dict[tuple[str, str], float]:
    families = {f.name: f for f in text_string_to_metric_families(httpx.get(f"{base}/metrics", timeout=10).text)}
    assert families["dunning_inbound_messages"].type == "counter"
    return {(s.labels["status"], s.labels["kind"]): s.value for s in families["dunning_inbound_messages"].samples
            if s.name == "dunning_inbound_messages_total"}


def test_run_on_embedded_defaults_is_ready_and_counts_inbound_mail(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUNNING_")}
    env.update(DUNNING_DATA_DIR=str(tmp_path / "data"), DUNNING_API_PORT=str(port), DUNNING_LETTER_FORMAT="docx")
    log = (tmp_path / "run.log").open("wb")
    # Its own session, so the test can stop the whole tree it started (API child, embedded Redis) by its id.
    process = subprocess.Popen([sys.executable, "-m", "worker.cli", "run"], cwd=tmp_path, env=env, stdout=log,
                               stderr=subprocess.STDOUT, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline, ready = time.monotonic() + 90, None
        while time.monotonic() < deadline and process.poll() is None:
            try:
                ready = httpx.get(f"{base}/ready", timeout=10)
                break
            except httpx.TransportError:
                time.sleep(0.2)  # waiting for the API process to listen
        assert ready is not None, (tmp_path / "run.log").read_text()
        assert ready.status_code == 200, ready.text
        body = ready.json()
        assert body["status"] == "ready"
        assert {"database", "mailbox"} <= set(body["checks"])
        assert all(check["ok"] and "latency_ms" in check for check in body["checks"].values())
        assert httpx.get(f"{base}/health", timeout=10).json() == {"status": "ok"}

        assert _inbound(base)[("quarantined", "none")] == 0
        (tmp_path / "data" / "inbox" / "new" / "1.eml").write_bytes(
            b"From: stranger@unknown.example\r\nTo: invoices@dunning.localhost\r\nSubject: hello\r\n"
            b"Message-ID: <contract@unknown.example>\r\n\r\nhello\r\n")
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and _inbound(base).get(("quarantined", "none")) != 1:
            time.sleep(0.2)  # waiting for the watcher to ingest the message
        assert _inbound(base)[("quarantined", "none")] == 1
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        log.close()
