"""Due reminders per second end to end: decision recorded (the tick) -> rendered -> accepted by an SMTP server.

    .venv/bin/python bench/bench_send.py --reminders 2000 --workers 2 --format docx
    .venv/bin/python bench/bench_send.py --reminders 200 --workers 2 --format pdf [--database-url postgresql+psycopg://...]

Seeds N debtors with one invoice due two days ago each (one reminder each), starts W real `dunning worker`
processes (rq on a private redis-server, ticks and mailbox watching off, clock set inside the sending window),
records the decisions with the project's own tick in this process, and waits until an aiosmtpd recorder on
loopback accepted all N. A warm-up batch of 3 letters per worker runs first, so each worker has its SMTP
connection (and for pdf its LibreOffice) up. Send rates are switched off: this measures capacity.

The floor is measured in the same run: for docx, aiosmtplib sending the same letters over one connection to the
same recorder; for pdf, one warm LibreOffice (unoserver) converting the same DOCX letters, nothing else.
`--database-url` must name a scratch database: the bench creates its tables there and leaves its rows behind.
Prints a JSON line last: {"format", "reminders", "workers", "per_s", "floor_per_s", ...}.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from letter_templates.warm_pdf import UnoserverConverter, unoserver_in  # noqa: E402
from worker import embedded_redis  # noqa: E402
from worker.adapters.letters import LetterSettings  # noqa: E402
from worker.db.migrate import upgrade  # noqa: E402
from worker.db.models import Debtor, Invoice  # noqa: E402
from worker.db.session import make_engine, make_session_factory  # noqa: E402
from worker.jobs.queue import enqueue_send  # noqa: E402
from worker.usecases.businesses import create_business  # noqa: E402
from worker.usecases.render_outbound import ensure_rendered  # noqa: E402
from worker.usecases.tick import run_tick  # noqa: E402

NOW = datetime(2027, 1, 14, 10, tzinfo=ZoneInfo("Europe/Amsterdam"))  # a Thursday inside the window, due + 2
SERVICE = "invoices@bench.test"


class Recorder:
    """An aiosmtpd handler that counts what it accepted (and keeps one message to build the floor from)."""

    def __init__(self) -> None:
        self.count = 0
        self.sample: bytes | None = None
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):  # noqa: N802, ANN001
        with self.changed:
            self.count += 1
            if self.sample is None:
                self.sample = envelope.original_content or envelope.content
            self.changed.notify_all()
        return "250 2.0.0 Ok: queued as BENCH"

    def wait_for(self, count: int, timeout: float, alive=lambda: True) -> bool:  # noqa: ANN001
        deadline = time.monotonic() + timeout
        with self.changed:
            while self.count < count:
                if time.monotonic() > deadline or not alive():
                    return False
                self.changed.wait(0.5)
        return True


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(sessions, name: str, count: int, first: int) -> None:  # noqa: ANN001
    with sessions.begin() as session:
        business, _ = create_business(session, name=name, senders=[f"billing@{name}.example"],
                                      from_address=f"billing@{name}.example", iban="NL91ABNA0417164300", now=NOW)
        business.settings = {**business.settings, "thank_you": False}
        debtors = [Debtor(business_id=business.id, contact_email=f"ap{first + n}@klant{n % 50}.example",
                          name=f"Klant {first + n}", created_at=NOW) for n in range(count)]
        session.add_all(debtors)
        session.flush()
        session.add_all([Invoice(business_id=business.id, debtor_id=d.id, number=f"F-{first + n}",
                                 issue_date=date(2026, 12, 13), due_date=date(2027, 1, 12), currency="EUR",
                                 amount_due=Decimal("121.00"), amount_paid=Decimal(0), status="open",
                                 reply_token=f"tok{first + n}", parsed={}, created_at=NOW)
                         for n, d in enumerate(debtors)])


def docx_floor(port: int, sample: bytes, count: int) -> float:
    """aiosmtplib alone, one connection, `count` copies of a real letter: what the SMTP path allows at most."""
    import aiosmtplib

    async def run() -> float:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, timeout=30)
        await smtp.connect()
        started = time.perf_counter()
        for n in range(count):
            await smtp.sendmail("bench@bench.test", [f"floor{n}@klant.example"], sample)
        elapsed = time.perf_counter() - started
        await smtp.quit()
        return count / elapsed

    return asyncio.run(run())


def pdf_floor(docx: bytes, count: int, work: Path) -> float:
    """One warm LibreOffice converting the same letter `count` times, nothing else."""
    with UnoserverConverter(work / "floor-unoserver", unoserver=unoserver_in(ROOT)) as converter:
        converter.convert(docx)  # the first conversion loads the filters
        started = time.perf_counter()
        for _ in range(count):
            converter.convert(docx)
        return count / (time.perf_counter() - started)


def start_workers(count: int, env: dict[str, str], work: Path) -> list[subprocess.Popen[bytes]]:
    processes = []
    for n in range(count):
        data = work / f"worker-{n}"
        data.mkdir()
        log = (work / f"worker-{n}.log").open("wb")
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "tests.e2e.clocked_cli", NOW.isoformat(), "worker", "--no-ticks", "--no-ingest"],
            env={**env, "DUNNING_DATA_DIR": str(data)}, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT))
    return processes


def decide_and_enqueue(sessions, redis_url: str) -> float:  # noqa: ANN001
    from redis import Redis

    redis = Redis.from_url(redis_url)
    started = time.perf_counter()
    run_tick(sessions, NOW, LetterSettings(SERVICE, "bench.test", None),
             lambda oid, expired: enqueue_send(redis, oid, expired))
    redis.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reminders", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--format", choices=("docx", "pdf"), default="docx")
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="bench-send-"))
    database_url = args.database_url or f"sqlite:///{work / 'dunning.db'}"
    engine = make_engine(database_url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    recorder = Recorder()
    port = free_port()
    controller = Controller(recorder, hostname="127.0.0.1", port=port, ready_timeout=10)
    controller.start()
    (work / "redis").mkdir()
    redis_url, redis_process = embedded_redis.start(work / "redis")
    env = {**os.environ, "DUNNING_DATABASE_URL": database_url, "DUNNING_REDIS_URL": redis_url,
           "DUNNING_SMTP_URL": f"smtp://127.0.0.1:{port}?timeout=60", "DUNNING_SENT_COPY_ADDRESS": "off",
           "DUNNING_SERVICE_ADDRESS": SERVICE, "DUNNING_MESSAGE_ID_DOMAIN": "bench.test",
           "DUNNING_LETTER_FORMAT": args.format, "DUNNING_SEND_RATE_PER_BUSINESS": "0",
           "DUNNING_SEND_RATE_PER_DOMAIN": "0", "DUNNING_LOG_FORMAT": "json",
           "DUNNING_UNOSERVER_COMMAND": str(unoserver_in(ROOT)), "PYTHONPATH": str(ROOT)}
    workers = start_workers(args.workers, env, work)

    def alive() -> bool:
        return all(p.poll() is None for p in workers)

    try:
        warmup = 3 * args.workers
        seed(sessions, "warmup", warmup, 0)
        decide_and_enqueue(sessions, redis_url)
        if not recorder.wait_for(warmup, 300, alive):
            raise SystemExit(f"warm-up did not finish; worker logs in {work}")
        seed(sessions, "bench", args.reminders, warmup)
        started = time.perf_counter()
        tick_s = decide_and_enqueue(sessions, redis_url)
        if not recorder.wait_for(warmup + args.reminders, args.timeout, alive):
            raise SystemExit(f"only {recorder.count - warmup} of {args.reminders} accepted; logs in {work}")
        elapsed = time.perf_counter() - started
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            process.wait(timeout=60)
        embedded_redis.stop(redis_process)

    assert recorder.sample is not None
    if args.format == "docx":
        floor = docx_floor(port, recorder.sample, 1000)
    else:
        letter = LetterSettings(SERVICE, "bench.test", None)  # the same letter as DOCX, to convert alone
        ensure_rendered(sessions, _one_recorded_docx_row(sessions), letter, NOW)
        floor = pdf_floor(_docx_of(sessions), 40, work)
    controller.stop()
    engine.dispose()
    per_s = args.reminders / elapsed
    print(json.dumps({"format": args.format, "reminders": args.reminders, "workers": args.workers,
                      "database": database_url.split(":", 1)[0], "seconds": round(elapsed, 2),
                      "tick_seconds": round(tick_s, 2), "per_s": round(per_s, 1),
                      "send_per_s": round(args.reminders / (elapsed - tick_s), 1),
                      "floor_per_s": round(floor, 1), "floor_kind": "aiosmtplib one connection" if args.format == "docx"
                      else "one warm unoserver", "per_s_over_floor": round(per_s / floor, 2),
                      "per_s_over_floor_per_worker": round(per_s / (floor * args.workers), 2),
                      "cpus": os.cpu_count()}))


def _one_recorded_docx_row(sessions) -> int:  # noqa: ANN001
    """A fresh copy of a decision, rendered here as DOCX, for the PDF floor's input."""
    from sqlalchemy import select

    from worker.db.models import OutboundMessage

    with sessions.begin() as session:
        row = session.scalars(select(OutboundMessage).order_by(OutboundMessage.id.desc())).first()
        assert row is not None
        row.rendered_at = None
        return row.id


def _docx_of(sessions) -> bytes:  # noqa: ANN001
    from email import message_from_bytes, policy

    from sqlalchemy import select

    from worker.db.models import OutboundMessage

    with sessions.begin() as session:
        raw = session.scalars(select(OutboundMessage.raw).order_by(OutboundMessage.id.desc())).first()
    message = message_from_bytes(raw, policy=policy.default)
    [part] = message.iter_attachments()  # type: ignore[attr-defined]
    return part.get_content()


if __name__ == "__main__":
    main()
