"""schemathesis against the real API process (`dunning api`, SQLite): no server error, every answer as documented."""

import os
import re
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_EXAMPLES = int(os.environ.get("DUNNING_FUZZ_EXAMPLES", "20"))
# The business API; the operator routes (/health, /ready, /metrics) answer their own formats and take no key.
EXCLUDED = r"^/(health|ready|metrics|admin/)"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([sys.executable, "-m", "worker.cli", *args], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout


@pytest.fixture
def running_api(tmp_path):
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DUNNING_DATABASE_URL": f"sqlite:///{tmp_path / 'api.db'}",
           "DUNNING_DATA_DIR": str(tmp_path / "data"), "DUNNING_API_HOST": "127.0.0.1",
           "DUNNING_API_PORT": str(port)}  # letters as PDF: the preview route uses LibreOffice, as in production
    _cli(env, "migrate")
    key = re.search(r"API key \(shown once, keep it safe\): (\S+)",
                    _cli(env, "business", "create", "--name", "Fuzz BV", "--from", "billing@fuzz.example",
                         "--sender", "billing@fuzz.example", "--iban", "NL91ABNA0417164300"))
    assert key is not None
    _cli(env, "business", "create", "--name", "Other BV", "--from", "billing@other.example")
    api = subprocess.Popen([sys.executable, "-m", "worker.cli", "api"], env=env, cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=(tmp_path / "api.log").open("wb"))
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):  # the process answers once uvicorn is up; poll, never sleep blindly for long
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert api.poll() is None, (tmp_path / "api.log").read_text()
            time.sleep(0.1)
        yield url, key.group(1), tmp_path
    finally:
        api.terminate()
        api.wait(timeout=20)


def test_api_matches_its_schema_under_fuzzing(running_api):
    url, key, tmp = running_api
    report = tmp / "fuzz.ndjson"
    # The first PDF preview starts LibreOffice (several seconds); warm it so no fuzzed request waits on that.
    warm = httpx.post(f"{url}/templates/reminder/nl/preview", headers={"X-API-Key": key}, timeout=120)
    assert warm.status_code == 200 and warm.headers["content-type"] == "application/pdf", warm.text
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "schemathesis.cli", "run", f"{url}/openapi.json", "--header", f"X-API-Key: {key}",
         "--checks", "not_a_server_error,response_schema_conformance,status_code_conformance,"
         "content_type_conformance", "--max-examples", str(MAX_EXAMPLES), "--phases", "examples,fuzzing,stateful",
         "--exclude-path-regex", EXCLUDED, "--generation-deterministic", "--no-shrink", "--workers", "2",
         "--request-timeout", "30",
         "--report", "ndjson", "--report-ndjson-path", str(report)],
        cwd=tmp, capture_output=True, text=True, timeout=400)
    summary = "\n".join(done.stdout.splitlines()[-40:])
    operations = re.search(r"Tested: (\d+)", done.stdout)
    cases = re.search(r"(\d+) generated", done.stdout)
    print(f"schemathesis: {operations.group(1) if operations else '?'} operations, "
          f"{cases.group(1) if cases else '?'} examples in {time.monotonic() - started:.0f} s")
    print(summary)
    assert done.returncode == 0, done.stdout[-8000:] + done.stderr[-2000:]
