"""One warm LibreOffice per worker process: each has its own profile and its own port, and a port another
process's server answers on is never taken for ours."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from letter_templates.warm_pdf import _listens_in_group, unoserver_in

ROOT = Path(__file__).resolve().parents[3]
UNOSERVER = Path(os.environ.get("DUNNING_UNOSERVER") or unoserver_in(ROOT))


def test_a_listener_is_ours_only_when_our_process_group_holds_it() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        assert _listens_in_group(port, os.getpgid(0))
        # The same port seen from a server we started in a group of its own: not its socket.
        # It waits on its stdin (never written) until killed: alive for the check, without a timer.
        other = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE,
                                 start_new_session=True)
        try:
            assert not _listens_in_group(port, other.pid)
        finally:
            other.kill()
            other.wait()


_WORKER = textwrap.dedent("""
    import json, sys
    from worker.composition import build_container
    from worker.config import Settings
    container = build_container(Settings(data_dir=sys.argv[1], letter_format="pdf", unoserver_command=sys.argv[2]))
    pdf = container.pdf_converter()
    from letter_templates.library import builtin_template
    from letter_templates.render import render_letter
    from letter_templates.vocabulary import sample_context
    made = pdf.convert(render_letter(builtin_template("reminder", "nl"), sample_context(), "nl").docx)
    print(json.dumps({"status": pdf.status, "work_dir": str(pdf.work_dir), "pdf": made[:5].decode()}), flush=True)
    container.close()
""")


def test_two_worker_processes_on_one_data_folder_each_warm_their_own(tmp_path: Path) -> None:
    if not UNOSERVER.exists():
        pytest.skip(f"unoserver is not installed at {UNOSERVER} (see letter_templates.warm_pdf)")
    import json

    runs = [subprocess.Popen([sys.executable, "-c", _WORKER, str(tmp_path), str(UNOSERVER)], cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(2)]
    results = []
    for run in runs:
        out, err = run.communicate(timeout=180)
        assert run.returncode == 0, err.decode()[-2000:]
        results.append(json.loads(out.decode().strip().splitlines()[-1]))
    assert all(r["pdf"] == "%PDF-" and r["status"].startswith("warm on port") for r in results), results
    assert results[0]["status"] != results[1]["status"]  # two ports
    assert results[0]["work_dir"] != results[1]["work_dir"]  # two profiles
    assert not any((tmp_path / "unoserver").iterdir())  # each removed its own at exit
