"""CPU time per letter of the send job, in one process: render (DOCX) + claim + guards + SMTP + settle.

    .venv/bin/python bench/profile_send.py --letters 300 [--database-url postgresql+psycopg://...] [--profile]

Seeds N due reminders, records them with the project's tick, then runs `send_outbound` for each over a pooled
SMTP connection to an aiosmtpd sink in a child process (so its CPU is not counted). CPU time, not wall clock:
the machine is shared. Prints a JSON line last: {"letters", "cpu_ms_per_letter", "wall_ms_per_letter", ...};
`--profile` prints the cProfile top entries before it.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench.bench_send import NOW, SERVICE, free_port, seed  # noqa: E402
from mailer.sender import SmtpSender  # noqa: E402
from mailer.smtp_pool import PooledSmtpSender  # noqa: E402
from worker.adapters.letters import LetterSettings  # noqa: E402
from worker.db.migrate import upgrade  # noqa: E402
from worker.db.models import OutboundMessage  # noqa: E402
from worker.db.session import make_engine, make_session_factory  # noqa: E402
from worker.usecases.send import send_batch, send_outbound  # noqa: E402
from worker.usecases.tick import run_tick  # noqa: E402


def sink(port: int) -> subprocess.Popen[bytes]:
    process = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-c", "aiosmtpd.handlers.Sink",
                                "-l", f"127.0.0.1:{port}"])
    import socket

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    raise SystemExit("aiosmtpd sink did not start")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=300)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--batch", type=int, default=0, help="send in batches of this size (0: one by one)")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="profile-send-"))
    engine = make_engine(args.database_url or f"sqlite:///{work / 'dunning.db'}")
    upgrade(engine)
    sessions = make_session_factory(engine)
    letters = LetterSettings(SERVICE, "bench.test", None)
    port = free_port()
    process = sink(port)
    sender = PooledSmtpSender(SmtpSender("127.0.0.1", port, envelope_from=SERVICE), max_connections=1)
    try:
        seed(sessions, f"warm{port}", 3, 0)
        seed(sessions, f"prof{port}", args.letters, 3)
        run_tick(sessions, NOW, letters, lambda oid, expired: None)
        with sessions.begin() as session:
            ids = list(session.scalars(select(OutboundMessage.id).where(OutboundMessage.status == "pending")
                                       .order_by(OutboundMessage.id)))
        for oid in ids[:3]:  # warm: imports, template caches, the SMTP connection
            send_outbound(sessions, sender, oid, NOW, letters=lambda: letters)
        ids = ids[3:]
        profiler = cProfile.Profile() if args.profile else None
        cpu, wall = time.process_time(), time.perf_counter()
        if profiler:
            profiler.enable()
        if args.batch:
            done: set[int] = set()
            for oid in ids:  # as the send jobs run: each takes its row and up to batch - 1 more that are due
                if oid not in done:
                    done |= set(send_batch(sessions, sender, oid, NOW, letters=lambda: letters, size=args.batch))
        else:
            for oid in ids:
                send_outbound(sessions, sender, oid, NOW, letters=lambda: letters)
        if profiler:
            profiler.disable()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        with sessions.begin() as session:
            sent = len(session.scalars(select(OutboundMessage.id).where(OutboundMessage.status == "sent")).all())
    finally:
        sender.close()
        process.terminate()
        process.wait()
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(45)
    print(json.dumps({"letters": len(ids), "sent": sent - 3, "batch": args.batch,
                      "database": str(engine.url).split(":", 1)[0],
                      "cpu_ms_per_letter": round(cpu * 1000 / len(ids), 2),
                      "wall_ms_per_letter": round(wall * 1000 / len(ids), 2)}))


if __name__ == "__main__":
    main()
