"""Speed and memory of the invoice parser over a folder of PDFs, against `pdftotext -layout` as the floor.

Usage: python bench/bench_invoices.py DIR [--repeat N] [--text-only] [--pages N]
Prints a markdown table: median and p95 ms per PDF, peak traced memory (tracemalloc) per PDF, and the same
timings for `pdftotext -layout` on the same files in the same run (when pdftotext is installed). tracemalloc sees
Python allocations only, not pdfium's C heap, so the process's peak resident memory is printed as well.
`--pages N` also times one generated N-page invoice to show memory stays bounded on long documents.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsers.invoice import InvoiceDocumentError, parse_invoice_document  # noqa: E402


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def time_parser(files: list[Path], repeat: int, structured: bool) -> list[float]:
    """Best-of-`repeat` milliseconds per file (warm imports, cold PDF)."""
    times = []
    for path in files:
        data = path.read_bytes()
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            try:
                parse_invoice_document(data, path.name, structured=structured)
            except InvoiceDocumentError:
                pass
            best = min(best, time.perf_counter() - start)
        times.append(best * 1000)
    return times


def peak_memory(files: list[Path], structured: bool) -> list[float]:
    """Peak traced Python memory in MB while parsing each file."""
    peaks = []
    for path in files:
        data = path.read_bytes()
        tracemalloc.start()
        try:
            parse_invoice_document(data, path.name, structured=structured)
        except InvoiceDocumentError:
            pass
        peaks.append(tracemalloc.get_traced_memory()[1] / 1024 / 1024)
        tracemalloc.stop()
    return peaks


def time_pdftotext(files: list[Path], repeat: int) -> list[float] | None:
    """Best-of-`repeat` milliseconds of `pdftotext -layout FILE -` per file; None without pdftotext."""
    binary = shutil.which("pdftotext")
    if binary is None:
        return None
    times = []
    for path in files:
        best = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            subprocess.run([binary, "-layout", str(path), "-"], capture_output=True, check=False)
            best = min(best, time.perf_counter() - start)
        times.append(best * 1000)
    return times


def long_invoice(pages: int) -> bytes:
    """An invoice of `pages` pages (items table continued), from the test factory."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    for page in range(pages):
        pdf.setFont("Helvetica", 9)
        if page == 0:
            pdf.drawString(60, 800, "Factuurnummer 2026-0100    Factuurdatum 01-03-2026")
        for row in range(60):
            pdf.drawString(60, 760 - row * 12, f"Regel {page * 60 + row}   Onderdeel {row}   1   € 10,00   € 10,00")
        if page == pages - 1:
            pdf.drawString(300, 20, f"Te betalen € {pages * 600},00")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _row(name: str, values: list[float], unit: str) -> str:
    median, p95 = statistics.median(values), _percentile(values, 0.95)
    return f"| {name} | {len(values)} | {median:.1f} {unit} | {p95:.1f} {unit} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--repeat", type=int, default=3, help="runs per file; the fastest counts")
    parser.add_argument("--text-only", action="store_true", help="ignore embedded XML, read every page's text")
    parser.add_argument("--pages", type=int, default=0, help="also time one generated invoice of this many pages")
    args = parser.parse_args(argv)
    files = sorted(args.folder.glob("*.pdf"))
    structured = not args.text_only
    parse_invoice_document(files[0].read_bytes(), files[0].name, structured=structured)  # warm imports and caches
    print(f"{len(files)} PDFs in {args.folder}, best of {args.repeat} runs each\n")
    print("| what | files | median | p95 |\n|---|---|---|---|")
    mode = "text only" if args.text_only else "normal"
    print(_row(f"parse_invoice_document ({mode})", time_parser(files, args.repeat, structured), "ms"))
    floor = time_pdftotext(files, args.repeat)
    if floor is not None:
        print(_row("pdftotext -layout (floor)", floor, "ms"))
    print(_row("peak traced memory per PDF", peak_memory(files, structured), "MB"))
    if args.pages:
        data = long_invoice(args.pages)
        tracemalloc.start()
        start = time.perf_counter()
        invoice = parse_invoice_document(data, "long.pdf")
        elapsed = (time.perf_counter() - start) * 1000
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        print(f"\n{args.pages}-page invoice: {elapsed:.0f} ms, peak traced memory {peak:.1f} MB, "
              f"amount due read: {invoice.amount_due}")
    # ru_maxrss is in KiB on Linux: the whole run's peak, pdfium's native memory included
    print(f"\nprocess peak resident memory: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
