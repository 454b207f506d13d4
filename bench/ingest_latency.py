"""Median time from IMAP APPEND of an invoice e-mail to the invoice being visible through the API.

Starts a private Dovecot (as the tests do), runs the real mailbox watcher (IMAP IDLE) in a thread and
polls GET /invoices over the in-process ASGI client. Run as root after `bash scripts/services.sh`:

    .venv/bin/python bench/ingest_latency.py --runs 20
"""

import argparse
import statistics
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.harness import make_service  # noqa: E402
from tests.factories.mail import invoice_mail  # noqa: E402
from tests.servers import Dovecot  # noqa: E402
from worker.runtime import watch_mailbox  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--database-url", default=None, help="default: SQLite in a temp folder")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="bench-dovecot-"))
    root.chmod(0o755)
    dovecot = Dovecot(root)
    dovecot.start()
    data = Path(tempfile.mkdtemp(prefix="bench-data-"))
    try:
        account = dovecot.new_account("bench")
        service = make_service(account=account, smtp_url=f"file://{data / 'outbox'}", redis_url=None,
                               database_url=args.database_url or f"sqlite:///{data / 'bench.db'}", data_dir=data,
                               idle_timeout_seconds=30)
        key = service.add_business("Bench B.V.", ["billing@bench.example"], "billing@bench.example")
        mails = [invoice_mail(seller_name="Bench B.V.", seller_email="billing@bench.example",
                              to="ap@customer.example", bcc=account.address, number=f"B-{i:04d}",
                              issue=date(2026, 12, 1), due=date(2026, 12, 31), amount="100.00",
                              buyer_name="Customer") for i in range(args.runs)]
        stop = threading.Event()
        threading.Thread(target=watch_mailbox, args=(service.container, stop), daemon=True).start()
        time.sleep(1.0)  # let the watcher reach IDLE before the first APPEND
        latencies = []
        for i, raw in enumerate(mails):
            start = time.perf_counter()
            service.append(raw)
            while len(service.get("/invoices", key).json()) <= i:
                time.sleep(0.005)
            latencies.append(time.perf_counter() - start)
        stop.set()
        print(f"runs: {len(latencies)}  median: {statistics.median(latencies) * 1000:.0f} ms  "
              f"p90: {sorted(latencies)[int(len(latencies) * 0.9) - 1] * 1000:.0f} ms  "
              f"min: {min(latencies) * 1000:.0f} ms  max: {max(latencies) * 1000:.0f} ms")
    finally:
        dovecot.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
