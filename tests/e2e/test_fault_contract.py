"""Issue 17's black-box contract through the CLI and the HTTP API on embedded defaults (SQLite, Maildir inbox)."""

import mailbox
import os
import shutil
import subprocess
import sys
import time
from email.utils import make_msgid
from pathlib import Path

import httpx
import pytest

from tests.factories.hostile import _mail, nested_multipart, valid_invoice
from tests.servers import free_port, wait_for_port

pytestmark = pytest.mark.integration


def dunning(data_dir: Path, *args: str) -> str:
    done = subprocess.run([_command(), *args], cwd=data_dir.parent, env=_env(data_dir), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _command() -> str:
    return shutil.which("dunning") or str(Path(sys.executable).with_name("dunning"))


def _env(data_dir: Path) -> dict[str, str]:
    keep = {k: v for k, v in os.environ.items() if not k.startswith("DUNNING_")}
    # Embedded defaults; only LibreOffice's warm server is left off (no letter is rendered here).
    return keep | {"DUNNING_DATA_DIR": str(data_dir), "DUNNING_WARM_PDF": "false"}


@pytest.fixture
def data_dir(tmp_path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def api(data_dir):  # type: ignore[no-untyped-def]
    """`dunning api` as a separate process, answering on a free port once the business exists."""
    port = free_port()
    env = _env(data_dir) | {"DUNNING_API_PORT": str(port)}
    dunning(data_dir, "migrate")
    process = subprocess.Popen([_command(), "api"], cwd=data_dir.parent, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    try:
        assert wait_for_port("127.0.0.1", port, 60), "the API did not start"
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        process.wait(15)


def _business(data_dir: Path) -> tuple[str, str]:
    out = dunning(data_dir, "business", "create", "--name", "Bakkerij Jansen", "--sender", "billing@jansen.example",
                  "--from", "billing@jansen.example", "--iban", "NL91ABNA0417164300")
    lines = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    return next(v for k, v in lines.items() if k.startswith("API key")), lines["Ingest address"]


def _with_message_id(raw: bytes, message_id: str) -> bytes:
    head, sep, body = raw.partition(b"\n\n")
    lines = [b"Message-ID: " + message_id.encode() if line.lower().startswith(b"message-id:") else line
             for line in head.split(b"\n")]
    return b"\n".join(lines) + sep + body


def test_poison_mail_reused_message_id_and_an_infinite_payment_through_cli_and_api(data_dir, api):
    key, bcc = _business(data_dir)
    inbox = mailbox.Maildir(data_dir / "inbox", create=True)
    headers = {"X-API-Key": key}
    # 1. a 1,000-level nested multipart and a valid invoice dropped together
    inbox.add(nested_multipart(bcc, depth=1000))
    inbox.add(valid_invoice(bcc, "2027-0400"))
    dunning(data_dir, "ingest")
    invoices = httpx.get(f"{api}/invoices", headers=headers)
    assert invoices.status_code == 200 and [i["number"] for i in invoices.json()] == ["2027-0400"]
    review = httpx.get(f"{api}/review", headers=headers).json()["quarantined"]
    assert len(review) == 1 and "nest" in review[0]["reason"].lower()
    # 2. junk, then the real invoice under the same Message-ID
    shared = make_msgid(domain="jansen.example")
    junk = _mail("Hallo", [], bcc=bcc)
    junk.replace_header("Message-ID", shared)
    inbox.add(junk.as_bytes())
    dunning(data_dir, "ingest")
    inbox.add(_with_message_id(valid_invoice(bcc, "2027-0401"), shared))
    dunning(data_dir, "ingest")
    invoices = httpx.get(f"{api}/invoices", headers=headers).json()
    assert sorted(i["number"] for i in invoices) == ["2027-0400", "2027-0401"]
    # 3. a payment of 1e400 is refused and the list still answers
    target = invoices[0]["id"]
    for body in (b'{"amount": 1e400}', b'{"amount": "1e400"}', b'{"amount": "Infinity"}', b'{"amount": "NaN"}'):
        answer = httpx.post(f"{api}/invoices/{target}/payments", content=body,
                            headers=headers | {"Content-Type": "application/json"})
        assert 400 <= answer.status_code < 500, (body, answer.status_code, answer.text)
    assert httpx.get(f"{api}/invoices", headers=headers).status_code == 200
    assert httpx.get(f"{api}/invoices/{target}", headers=headers).json()["amount_paid"] in ("0", "0.00")


def test_the_data_folder_and_its_files_are_private(data_dir):
    """What `dunning` does at start once cli.main() calls make_files_private (one line; see the report)."""
    data_dir.mkdir(mode=0o755)
    (data_dir / "dunning.db").write_bytes(b"")
    (data_dir / "demo-api-key").write_text("key\n")
    os.chmod(data_dir / "dunning.db", 0o644)
    os.chmod(data_dir / "demo-api-key", 0o644)
    code = ("import sys, pathlib; from worker.file_modes import make_files_private; "
            "make_files_private(pathlib.Path(sys.argv[1])); open(pathlib.Path(sys.argv[1]) / 'new.eml', 'w').close(); "
            "pathlib.Path(sys.argv[1], 'outbox').mkdir()")
    subprocess.run([sys.executable, "-c", code, str(data_dir)], check=True, env={**os.environ, "PATH": os.defpath})
    modes = {p.name: oct(p.stat().st_mode & 0o777) for p in [data_dir, *data_dir.iterdir()]}
    assert modes == {"data": "0o700", "dunning.db": "0o600", "demo-api-key": "0o600", "new.eml": "0o600",
                     "outbox": "0o700"}
    time.sleep(0)  # nothing to wait for: the modes are set synchronously
