"""Letters per second rendered to DOCX and to PDF (cold soffice, warm unoserver, a pool), with peak memory.

    .venv/bin/python bench/bench_letters.py [--docx 200] [--pdf 40] [--unoserver data/unoserver-venv/bin/unoserver]

Targets (issue 7): DOCX >= 40 letters/s, PDF >= 8 letters/s per warm LibreOffice instance. Every letter has its
own payment reference, so its SEPA QR code is encoded afresh (no cache hits). Prints a markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from letter_templates.library import builtin_template  # noqa: E402
from letter_templates.pdf import PdfConverter  # noqa: E402
from letter_templates.render import render_letter  # noqa: E402
from letter_templates.vocabulary import sample_context  # noqa: E402
from letter_templates.warm_pdf import UnoserverConverter, UnoserverPool, unoserver_in  # noqa: E402


def letters(n: int, name: str = "reminder", language: str = "nl") -> list[bytes]:
    template = builtin_template(name, language)
    out = []
    for i in range(n):
        context = sample_context()
        context["payment"]["reference"] = f"2026-{i:05d}"
        out.append(render_letter(template, context, language).docx)
    return out


def group_peak_mb(pgid: int) -> float:
    """Peak resident memory (VmHWM) summed over a process group: unoserver and its LibreOffice."""
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if os.getpgid(int(entry.name)) != pgid:
                continue
            status = (entry / "status").read_text()
        except (OSError, ProcessLookupError):
            continue
        total += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0)
    return total / 1024


def timed(n: int, work: Callable[[], None]) -> tuple[float, float]:
    """(letters per second, Python peak MB) for `work` producing n letters.

    tracemalloc slows Python code two- to threefold, so the rate comes from a run without it and the peak from
    a second run with it.
    """
    start = time.perf_counter()
    work()
    seconds = time.perf_counter() - start
    tracemalloc.start()
    work()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return n / seconds, peak


def _rate(n: int, work: Callable[[], None]) -> float:
    start = time.perf_counter()
    work()
    return n / (time.perf_counter() - start)


def bench_docx(n: int) -> tuple[str, float, str]:
    template = builtin_template("reminder", "nl")
    render_letter(template, sample_context(), "nl")  # first render compiles and lints the template once
    contexts = []
    for i in range(n):
        context = sample_context()
        context["payment"]["reference"] = f"2026-{i:05d}"
        contexts.append(context)
    rate, peak = timed(n, lambda: [render_letter(template, c, "nl") for c in contexts])
    return f"DOCX render (docxtpl + SEPA QR), {n} letters", rate, f"Python peak {peak:.1f} MB"


def bench_cold(docs: list[bytes], tmp: Path) -> list[tuple[str, float, str]]:
    converter = PdfConverter(tmp / "cold-profile")
    converter.convert(docs[0])  # the first start also creates the profile
    one = docs[:5]
    rate_one = _rate(len(one), lambda: [converter.convert(d) for d in one])
    rate_batch = _rate(len(docs), lambda: converter.convert_many(docs))
    rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return [(f"PDF cold, one soffice start per letter ({len(one)})", rate_one, f"soffice peak {rss:.0f} MB"),
            (f"PDF cold, {len(docs)} letters in one soffice start", rate_batch, f"soffice peak {rss:.0f} MB")]


def bench_warm(docs: list[bytes], tmp: Path, unoserver: Path) -> list[tuple[str, float, str]]:
    rows = []
    start = time.perf_counter()
    with UnoserverConverter(tmp / "warm", unoserver=unoserver) as warm:
        started = time.perf_counter() - start
        if not warm.warm:
            return [("PDF warm (unoserver)", 0.0, f"not available: {warm.status}")]
        warm.convert(docs[0])
        rate = _rate(len(docs), lambda: [warm.convert(d) for d in docs])
        peak = group_peak_mb(warm._process.pid)
        rows.append((f"PDF warm, 1 unoserver instance, {len(docs)} letters", rate,
                     f"LibreOffice peak {peak:.0f} MB; start-up {started:.1f} s"))
    with UnoserverPool.of(2, tmp / "pool", unoserver=unoserver) as pool:
        for converter in pool.converters:
            converter.convert(docs[0])

        def two_senders() -> None:
            halves = [docs[0::2], docs[1::2]]
            threads = [threading.Thread(target=lambda h=h: [pool.convert(d) for d in h]) for h in halves]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()

        rate = _rate(len(docs), two_senders)
        peak = sum(group_peak_mb(c._process.pid) for c in pool.converters)
        rows.append((f"PDF warm, pool of 2 instances, 2 senders, {len(docs)} letters", rate,
                     f"LibreOffice peak {peak:.0f} MB (both)"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docx", type=int, default=200, help="letters to render to DOCX")
    parser.add_argument("--pdf", type=int, default=40, help="letters to convert per PDF measurement")
    parser.add_argument("--unoserver", type=Path, default=unoserver_in(ROOT))
    args = parser.parse_args()
    rows = [bench_docx(args.docx)]
    docs = letters(args.pdf)
    with tempfile.TemporaryDirectory(prefix="bench-letters-") as tmp:
        rows += bench_cold(docs, Path(tmp))
        rows += bench_warm(docs, Path(tmp), args.unoserver)
    print(f"\nCPUs: {os.cpu_count()}, load average at the end: {os.getloadavg()[0]:.1f}\n")
    print("| what | letters/s | memory |")
    print("|---|---:|---|")
    for what, rate, memory in rows:
        print(f"| {what} | {rate:.1f} | {memory} |")
    print(f"\nProcess max RSS (this Python): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
