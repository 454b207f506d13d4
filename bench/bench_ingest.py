"""Ingest throughput: N invoice e-mails (generated PDFs) APPENDed to a private Dovecot, then one ingest to the end.

Timed: `dunning ingest`'s pass (`ingest_pass(container, workers=W)`: fetch in UID ranges, store, parse in W
forked processes, file in UID-set MOVEs) until every message is processed and moved; with `--rq` the pass
hands the messages to W rq worker processes instead (as under `dunning run` / `dunning worker`). The floors are
measured in the same run: bulk FETCH of all N, one batched UID MOVE of all N, and the sandboxed parse of one PDF
(in a warm child, as ingest reads them; `parse_fork_ms`: in a child forked for it, as before the warm children).
Run as root after `bash scripts/services.sh`:

    .venv/bin/python bench/bench_ingest.py --mails 1000
    .venv/bin/python bench/bench_ingest.py --mails 10000 --database-url postgresql+psycopg://postgres@127.0.0.1:5432/postgres

With a PostgreSQL URL a fresh database is created on that server and dropped afterwards. The LAST line is JSON.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from imap_tools import MailBoxUnencrypted  # noqa: E402
from sqlalchemy import func, select  # noqa: E402

from tests.e2e.harness import make_service  # noqa: E402
from tests.factories.invoice_pdf import make_invoice_pdf  # noqa: E402
from tests.factories.mail import invoice_mail  # noqa: E402
from tests.servers import Dovecot  # noqa: E402
from worker.adapters.contained_documents import read_invoice_document  # noqa: E402
from worker.db.models import InboundMessage, Invoice  # noqa: E402
from worker.runtime import ingest_pass  # noqa: E402

SELLER, SELLER_EMAIL = "Bench B.V.", "billing@bench.example"


def _mail(args: tuple[int, str]) -> bytes:
    i, bcc = args
    return invoice_mail(seller_name=SELLER, seller_email=SELLER_EMAIL, to=f"ap{i % 50}@customer.example", bcc=bcc,
                        number=f"B-{i:06d}", issue=date(2026, 12, 1), due=date(2026, 12, 31),
                        amount=f"{100 + i % 900}.{i % 100:02d}", buyer_name=f"Customer {i % 50}")


def _append(account, mails: list[bytes], connections: int = 4) -> None:  # type: ignore[no-untyped-def]
    """APPEND over a few connections at once (setup, not timed)."""
    def run(part: list[bytes]) -> None:
        with MailBoxUnencrypted(account.host, account.port).login(account.name, account.password,
                                                                 initial_folder=None) as mb:
            for raw in part:
                mb.append(raw, "INBOX")

    threads = [threading.Thread(target=run, args=(mails[k::connections],)) for k in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def _fetch_floor(account) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """Messages per second of bulk UID FETCH (BODY.PEEK[]) over UID ranges of 200, the way ingest reads."""
    from mailer.imap_mailbox import ImapMailbox

    box = ImapMailbox(account.host, account.port, account.name, account.password)
    try:
        started = time.perf_counter()
        count = sum(1 for _ in box.fetch(None))
        return count, count / (time.perf_counter() - started)
    finally:
        box.close()


def _move_floor(account, source: str, target: str) -> tuple[int, float]:  # type: ignore[no-untyped-def]
    """Messages per second of batched UID MOVE (UID sets of 500) of everything in `source` to `target`."""
    from mailer.imap_mailbox import ImapMailbox

    box = ImapMailbox(account.host, account.port, account.name, account.password, folder=source)
    try:
        uids = [item.uid for item in box.fetch(None)]
        if not hasattr(box, "move_many"):  # a "before" checkout: no batch MOVE to measure
            return len(uids), float("nan")
        started = time.perf_counter()
        box.move_many(uids, target)
        return len(uids), len(uids) / (time.perf_counter() - started)
    finally:
        box.close()


def _parse_floor(samples: int = 30) -> tuple[float, float]:
    """Median ms of the sandboxed parse of one generated invoice PDF: in a warm child, and in a fresh fork."""
    from parsers.invoice import parse_invoice_document
    from worker.sandbox import close_warm_children, run_contained

    warm, forked = [], []
    for i in range(samples):
        pdf = make_invoice_pdf(number=f"P-{i}", issue_date=date(2026, 12, 1), due_date=date(2026, 12, 31),
                               amount_due=__import__("decimal").Decimal("123.45"), seller_name=SELLER,
                               seller_email=SELLER_EMAIL, buyer_name="Customer", buyer_email="ap@customer.example",
                               seller_iban="NL91ABNA0417164300")
        started = time.perf_counter()
        read_invoice_document(pdf, f"factuur-{i}.pdf")
        warm.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        run_contained(lambda: parse_invoice_document(pdf, f"factuur-{i}.pdf"))  # noqa: B023 - called at once
        forked.append((time.perf_counter() - started) * 1000)
    close_warm_children()
    return statistics.median(warm), statistics.median(forked)


def _rounded(value: float) -> int | None:
    return None if value != value else round(value)  # NaN: not measured


def _cpu_seconds() -> float:
    """CPU of this process and its waited-for children (the pool and their sandbox children); not PostgreSQL's."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _fresh_postgres(base: str) -> tuple[str, str]:
    import psycopg

    name = f"bench_ingest_{secrets.token_hex(4)}"
    parts = urlsplit(base)
    with psycopg.connect(urlunsplit(parts._replace(scheme="postgresql")), autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}")), name


def _drop_postgres(base: str, name: str) -> None:
    import psycopg

    with psycopg.connect(urlunsplit(urlsplit(base)._replace(scheme="postgresql")), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rq_workers(env: dict[str, str], workers: int, cwd: Path) -> list[subprocess.Popen[bytes]]:
    """W `dunning worker --no-ingest --no-ticks` processes: rq workers only, as extra machines would run."""
    dunning = Path(sys.executable).with_name("dunning")
    return [subprocess.Popen([str(dunning), "worker", "--no-ingest", "--no-ticks"], env=env, cwd=cwd,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for _ in range(workers)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mails", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--database-url", default=None, help="PostgreSQL server (a fresh database is made there); "
                        "default: SQLite in a temp folder")
    parser.add_argument("--rq", action="store_true", help="process as rq jobs in W worker processes (needs "
                        "--redis-url or the machine's Redis on 6379/14)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/14")
    args = parser.parse_args()

    root = Path(tempfile.mkdtemp(prefix="bench-dovecot-"))
    root.chmod(0o755)
    data = Path(tempfile.mkdtemp(prefix="bench-data-"))
    dovecot = Dovecot(root)
    dovecot.start()
    pg_name = None
    workers: list[subprocess.Popen[bytes]] = []
    try:
        database_url = f"sqlite:///{data / 'bench.db'}"
        if args.database_url:
            database_url, pg_name = _fresh_postgres(args.database_url)
        account = dovecot.new_account("bench")
        redis_url = args.redis_url if args.rq else None
        if redis_url:
            import redis

            redis.Redis.from_url(redis_url).flushdb()
        service = make_service(account=account, smtp_url=f"file://{data / 'outbox'}", redis_url=redis_url,
                               database_url=database_url, data_dir=data)
        service.add_business(SELLER, [SELLER_EMAIL], SELLER_EMAIL)
        bcc = service.ingest_address(SELLER)

        started = time.perf_counter()
        with multiprocessing.get_context("fork").Pool() as pool:
            mails = pool.map(_mail, [(i, bcc) for i in range(args.mails)], chunksize=100)
        generated = time.perf_counter() - started
        started = time.perf_counter()
        _append(account, mails)
        appended = time.perf_counter() - started
        print(f"generated {len(mails)} mails in {generated:.1f} s, appended in {appended:.1f} s", file=sys.stderr)
        fetched, fetch_per_s = _fetch_floor(account)
        assert fetched == args.mails, fetched

        if args.rq:
            env = {**os.environ, "DUNNING_DATABASE_URL": database_url, "DUNNING_REDIS_URL": redis_url or "",
                   "DUNNING_MAILBOX_URL": account.url(), "DUNNING_SMTP_URL": f"file://{data / 'outbox'}",
                   "DUNNING_DATA_DIR": str(data), "DUNNING_SERVICE_ADDRESS": account.address,
                   "DUNNING_LETTER_FORMAT": "docx", "DUNNING_WARM_PDF": "false", "DUNNING_LOG_LEVEL": "WARNING"}
            workers = _rq_workers(env, args.workers, data)
            from rq import Worker

            from worker.jobs.queue import queue
            deadline = time.monotonic() + 60
            while Worker.count(queue=queue(service.redis)) < args.workers and time.monotonic() < deadline:
                time.sleep(0.1)

        cpu_before = _cpu_seconds()
        started = time.perf_counter()
        try:
            report = ingest_pass(service.container, workers=args.workers, use_rq=args.rq)
        except TypeError:  # a checkout from before the runners (a "before" run): one process, one at a time
            report = ingest_pass(service.container)
        ingest_s = time.perf_counter() - started
        cpu_s = _cpu_seconds() - cpu_before

        with service.container.sessions.begin() as session:
            invoices = session.scalar(select(func.count(Invoice.id)))
            statuses = dict(session.execute(select(InboundMessage.status, func.count())
                                            .group_by(InboundMessage.status)).all())
        processed_folder, inbox = service.folder_count("Processed"), service.folder_count("INBOX")
        print(f"outcomes {len(report.outcomes)}, statuses {statuses}, invoices {invoices}, Processed "
              f"{processed_folder}, INBOX {inbox}, stopped {report.stopped}", file=sys.stderr)
        assert invoices == args.mails and processed_folder == args.mails and inbox == 0, "ingest incomplete"

        moved, move_batch_per_s = _move_floor(account, "Processed", "Moved")
        assert moved == args.mails
        parse_ms, parse_fork_ms = _parse_floor()
        # SQLite is processed by the pass itself (one writer): one worker, whatever --workers says.
        workers_used = args.workers if args.database_url or args.rq else 1
        print(json.dumps({"mails": args.mails, "workers": workers_used,
                          "backend": ("postgresql" if args.database_url else "sqlite") + ("+rq" if args.rq else ""),
                          "ingest_s": round(ingest_s, 2), "per_s": round(args.mails / ingest_s, 1),
                          "cpu_ms_per_mail": round(cpu_s / args.mails * 1000, 1), "load_avg": os.getloadavg()[0],
                          "floor": {"fetch_per_s": round(fetch_per_s), "move_batch_per_s": _rounded(move_batch_per_s),
                                    "parse_ms": round(parse_ms, 1),
                                    "parse_fork_ms": round(parse_fork_ms, 1)}}))
        return 0
    finally:
        for process in workers:
            process.terminate()
        for process in workers:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        dovecot.stop()
        if pg_name and args.database_url:
            _drop_postgres(args.database_url, pg_name)
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
