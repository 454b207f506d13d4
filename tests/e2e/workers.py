"""Real `dunning worker` processes for multi-worker stories, and who holds their leases."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import func, select

from tests.factories.mail import invoice_mail
from worker.db.models import InboundMessage, Invoice, OutboundMessage

REPO = Path(__file__).resolve().parents[2]  # tests.e2e.clocked_cli is imported from the checkout


@dataclass
class Workers:
    """N worker processes sharing one database, Redis, mailbox and SMTP server."""

    env: dict[str, str]
    folder: Path
    start: datetime
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    def spawn(self, count: int) -> None:
        for _ in range(count):
            log = self.folder / f"worker-{len(self.processes)}.log"
            process = subprocess.Popen(
                [sys.executable, "-m", "tests.e2e.clocked_cli", self.start.isoformat(), "worker"],
                env={**self.env, "DUNNING_DATA_DIR": str(self.folder / f"data-{len(self.processes)}")},
                cwd=self.folder, stdout=log.open("wb"), stderr=subprocess.STDOUT)
            self.processes[process.pid] = process

    def running(self) -> bool:
        """Raise with the logs when every worker has exited (a start-up failure), instead of waiting."""
        if all(p.poll() is not None for p in self.processes.values()):
            raise AssertionError(f"every worker exited\n{self.logs()}")
        return True

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-4000:]}"
                         for p in sorted(self.folder.glob("worker-*.log")))

    def kill(self, pid: int) -> None:
        self.processes[pid].send_signal(signal.SIGKILL)
        self.processes[pid].wait(timeout=10)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def worker_env(service, **extra: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    settings = service.container.settings
    env = {k: v for k, v in os.environ.items() if not k.startswith("DUNNING_")}
    return {**env, "PYTHONPATH": str(REPO), "DUNNING_DATABASE_URL": settings.database_url,
            "DUNNING_REDIS_URL": settings.redis_url,
            "DUNNING_SMTP_URL": settings.smtp_url, "DUNNING_MAILBOX_URL": settings.mailbox_url,
            "DUNNING_SERVICE_ADDRESS": settings.service_address, "DUNNING_MESSAGE_ID_DOMAIN": "dunning.test",
            # as the harness: the recording SMTP server files no copy to self, so none is addressed to it
            "DUNNING_SENT_COPY_ADDRESS": settings.sent_copy_address,
            "DUNNING_LETTER_FORMAT": "docx", "DUNNING_WARM_PDF": "false", "DUNNING_TICK_INTERVAL_SECONDS": "2",
            "DUNNING_IDLE_TIMEOUT_SECONDS": "10", **extra}


def lease_holders(database_url: str) -> dict[str, list[int]]:
    """Lease name -> pids of the worker processes holding it, as PostgreSQL sees it (pg_locks)."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            names = conn.execute(sa.text(
                "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                "WHERE l.locktype = 'advisory' AND l.granted AND a.datname = current_database()")).scalars().all()
    finally:
        engine.dispose()
    holders: dict[str, list[int]] = {}
    for name in names:
        match = re.match(r"dunning (\S+) lease, pid (\d+) on ", name or "")
        if match:
            holders.setdefault(match.group(1), []).append(int(match.group(2)))
    return holders


def debtor_invoice(service, n: int) -> bytes:  # type: ignore[no-untyped-def]
    """Invoice n of Bakkerij Jansen, to a debtor of its own (one reminder per debtor)."""
    return invoice_mail(seller_name="Bakkerij Jansen", seller_email="billing@jansen.example",
                        to=f"inkoop@klant{n}.example", bcc=service.ingest_address("Bakkerij Jansen"),
                        number=f"2027-{n:04d}", issue=date(2026, 12, 13), due=date(2027, 1, 12), amount="121.00",
                        buyer_name=f"Klant {n} B.V.")


def counts(service) -> dict[str, int]:  # type: ignore[no-untyped-def]
    with service.container.sessions.begin() as session:
        return {"inbound": session.scalar(select(func.count(InboundMessage.id))),
                "invoices": session.scalar(select(func.count(Invoice.id))),
                "sent": session.scalar(select(func.count(OutboundMessage.id)).where(
                    OutboundMessage.status == "sent")),
                "outbound": session.scalar(select(func.count(OutboundMessage.id)))}
