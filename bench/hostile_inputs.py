"""Hostile input table: each hostile input N times through store → process, with outcome, peak RSS and losses.

Usage: python bench/hostile_inputs.py [--runs N] [--database-url URL] [--corpus DIR]
Each run stores and processes one message in a forked child (SQLite in a temporary folder unless a database
URL is given), so the child's peak resident memory (ru_maxrss, the document sandbox's children included) is
that message's cost. "lost" counts runs whose message is not stored or was left unprocessed. With `--corpus`
the sandbox's overhead per document is timed too (in-process versus contained, same files).
"""

from __future__ import annotations

import argparse
import os
import pickle
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import select  # noqa: E402

from mailer.message import message_key  # noqa: E402
from parsers.invoice import InvoiceDocumentError, parse_invoice_document  # noqa: E402
from tests.factories.hostile import MAIL_CASES, SELLER, SELLER_NAME, valid_invoice  # noqa: E402
from worker.adapters.contained_documents import read_invoice_document  # noqa: E402
from worker.api.app import create_app  # noqa: E402
from worker.clock import utcnow  # noqa: E402
from worker.composition import Container, build_container  # noqa: E402
from worker.config import Settings  # noqa: E402
from worker.db.migrate import upgrade  # noqa: E402
from worker.db.models import Debtor, InboundMessage  # noqa: E402
from worker.sandbox import close_warm_children  # noqa: E402
from worker.usecases.businesses import create_business  # noqa: E402
from worker.usecases.inbound_store import store_inbound  # noqa: E402
from worker.usecases.process_inbound import process_inbound  # noqa: E402

MB = 1024 * 1024
SERVICE = "invoices@dunning.localhost"
TRUSTED = "mx.bench.test"  # the authserv-id the bench's service trusts (DUNNING_AUTHSERV_ID)


def _forged(*headers: str) -> Callable[[str], bytes]:
    """An invoice From the business's sender, sent to the public service address (not the secret one)."""
    def build(_ingest_address: str) -> bytes:
        raw = valid_invoice(SERVICE, f"F-{time.monotonic_ns()}")
        return "".join(f"{h}\r\n" for h in headers).encode() + raw
    return build


FORGED_CASES = [
    ("forged sender: dmarc=fail from the trusted MTA",
     _forged(f"Authentication-Results: {TRUSTED}; dmarc=fail header.from={SELLER.rpartition('@')[2]}")),
    ("forged sender: no Authentication-Results", _forged()),
    ("forged sender: dmarc=pass written by another authserv-id",
     _forged(f"Authentication-Results: mx.attacker.test; dmarc=pass header.from={SELLER.rpartition('@')[2]}")),
]


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _store_and_process(container: Container, raw: bytes) -> tuple[str, str | None]:
    container.engine.dispose(close=False)  # the child opens its own connections
    inbound_id, _ = store_inbound(container.sessions, raw, mailbox_uid=None, now=utcnow())
    outcome = process_inbound(container.sessions, inbound_id, letters=container.letter_settings(), now=utcnow(),
                              authserv_id=TRUSTED)
    close_warm_children()  # waited for before this child exits: their peak memory counts in its ru_maxrss
    return outcome.status, outcome.reason


def in_child(work: Callable[[], object]) -> tuple[object, int, int, float]:
    """(result, peak RSS, RSS inherited at the fork, seconds) of `work()` run in a forked child."""
    read_fd, write_fd = os.pipe()
    inherited = _rss()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb") as pipe:
                pipe.write(pickle.dumps(work()))
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        payload = pipe.read()
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    result = pickle.loads(payload) if payload else ("crashed", f"child status {status}")
    return result, usage.ru_maxrss * 1024, inherited, seconds


def _outcome(results: list[tuple[str, str | None]]) -> str:
    counts = Counter(status for status, _ in results)
    reasons = {reason for _, reason in results if reason}
    text = ", ".join(f"{status} {n}×" if len(counts) > 1 else status for status, n in counts.items())
    if reasons:
        reason = sorted(reasons)[0]
        text += f": “{reason if len(reason) <= 90 else reason[:87] + '…'}”"
    return text


def mail_rows(container: Container, runs: int, ingest_address: str) -> list[list[str]]:
    """One row per hostile mail, each delivered to the business's secret ingest address as its BCC would be."""
    cases = [("valid invoice (baseline)", lambda bcc: valid_invoice(bcc, f"2027-{time.monotonic_ns()}"))]
    cases += FORGED_CASES + [(case.name, case.build) for case in MAIL_CASES]
    rows = []
    for name, build in cases:
        results, peaks, times, keys = [], [], [], []
        for _ in range(runs):
            raw = build(ingest_address)
            keys.append(message_key(raw)[:500])
            result, peak, _, seconds = in_child(lambda raw=raw: _store_and_process(container, raw))
            results.append(result)
            peaks.append(peak)
            times.append(seconds)
        with container.sessions.begin() as session:
            stored = session.scalars(select(InboundMessage.status).where(InboundMessage.message_key.in_(keys))).all()
        lost = runs - sum(1 for status in stored if status in ("processed", "quarantined"))
        rows.append([name, str(runs), _outcome(results), f"{max(peaks) / MB:.0f} MB",
                     f"{statistics.median(times) * 1000:.0f} ms", str(lost)])
    return rows


def api_row(container: Container, runs: int) -> list[str]:
    """CRLF in a debtor name through `PUT /debtors/{id}`: refused, the stored name unchanged."""
    with container.sessions.begin() as session:
        business, key = create_business(session, name="API test", senders=["api@test.example"],
                                        from_address="api@test.example", service_address=SERVICE,
                                        iban="NL91ABNA0417164300", now=utcnow())
        debtor = Debtor(business_id=business.id, contact_email="klant@test.example", name="Klant B.V.",
                        created_at=utcnow())
        session.add(debtor)
        session.flush()
        debtor_id = debtor.id
    api = TestClient(create_app(container))
    codes = Counter()
    started = time.perf_counter()
    for _ in range(runs):
        response = api.put(f"/debtors/{debtor_id}", headers={"X-API-Key": key},
                           json={"name": "Klant B.V.\r\nBcc: evil@attacker.example"})
        codes[response.status_code] += 1
    seconds = (time.perf_counter() - started) / runs
    with container.sessions.begin() as session:
        unchanged = session.get_one(Debtor, debtor_id).name == "Klant B.V."
    outcome = ", ".join(f"refused ({code})" if code == 422 else f"HTTP {code}" for code in codes)
    return ["CRLF in a debtor name (PUT /debtors/{id})", str(runs), outcome, "–", f"{seconds * 1000:.0f} ms",
            "0" if unchanged else "name changed"]


def sandbox_overhead(corpus: Path) -> str:
    files = sorted(p for p in corpus.rglob("*") if p.suffix.lower() in (".pdf", ".xml"))
    direct, contained = [], []
    for path in files:
        data = path.read_bytes()
        for reader, times in ((parse_invoice_document, direct), (read_invoice_document, contained)):
            started = time.perf_counter()
            try:
                reader(data, path.name)
            except InvoiceDocumentError:
                pass
            times.append((time.perf_counter() - started) * 1000)
    extra = [c - d for c, d in zip(contained, direct, strict=True)]
    return (f"Sandbox overhead over {len(files)} corpus documents: in-process median "
            f"{statistics.median(direct):.1f} ms, "
            f"contained median {statistics.median(contained):.1f} ms, extra per document median "
            f"{statistics.median(extra):.1f} ms (p90 {sorted(extra)[int(0.9 * (len(extra) - 1))]:.1f} ms); "
            f"worker RSS at the fork {_rss() / MB:.0f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--database-url")
    parser.add_argument("--corpus", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data_dir:
        settings = Settings(data_dir=Path(data_dir), database_url=args.database_url, service_address=SERVICE,
                            letter_format="docx", warm_pdf=False)
        container = build_container(settings)
        upgrade(container.engine)
        with container.sessions.begin() as session:
            business, _ = create_business(session, name=SELLER_NAME, senders=[SELLER], from_address=SELLER,
                                          service_address=SERVICE, iban="NL91ABNA0417164300", now=utcnow())
            ingest_address = business.ingest_address
        rows = mail_rows(container, args.runs, ingest_address)
        rows.append(api_row(container, args.runs))
    print("| input | times tried | outcome | peak RSS | median time | lost |")
    print("|---|---:|---|---:|---:|---:|")
    for row in rows:
        print("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    print(f"\nRSS of the process that forks the runs: {_rss() / MB:.0f} MB (each run starts as its copy; compare "
          "with the baseline row)")
    if args.corpus:
        print("\n" + sandbox_overhead(args.corpus))


if __name__ == "__main__":
    main()
