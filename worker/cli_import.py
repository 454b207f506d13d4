"""`dunning import invoices FILE --business ID`: import existing invoices, a progress bar on a terminal, a summary."""

import argparse
import sys
from pathlib import Path
from typing import TextIO

from worker.config import Settings

BAR_WIDTH = 30


def progress_bar(done: int, total: int) -> str:
    """`[#########.....]  12/40 lines` (the line a terminal rewrites in place)."""
    filled = BAR_WIDTH * done // total if total else BAR_WIDTH
    return f"[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} lines"


def summary_line(job) -> str:  # type: ignore[no-untyped-def]
    return (f"import {job.id} {job.status}: {job.imported} imported, {job.duplicates} duplicate, "
            f"{job.refused} refused of {job.total} lines")


def cmd_import_invoices(args: argparse.Namespace, settings: Settings, out: TextIO | None = None,
                        err: TextIO | None = None) -> int:
    from worker.cli import _container
    from worker.usecases.businesses import find_business
    from worker.usecases.imports import ImportUnreadable, import_lines, run_import, start_import

    out, err = out or sys.stdout, err or sys.stderr
    path = Path(args.file)
    if not path.is_file():
        print(f"no file {path}", file=err)
        return 2
    container = _container(settings)
    with container.sessions.begin() as session:
        business = find_business(session, args.business)
        if business is None:
            print(f"no business {args.business!r}; give its id or exact name", file=err)
            return 1
        try:
            job = start_import(session, business, path.read_bytes(), filename=path.name, who="cli",
                               now=container.clock())
        except ImportUnreadable as exc:
            print(f"{path}: {exc}", file=err)
            return 1
        import_id, total = job.id, job.total
    tty = err.isatty()

    def show(progress) -> None:  # type: ignore[no-untyped-def]
        if tty:  # a bar rewritten in place on a terminal; nothing in a log or a pipe
            err.write("\r" + progress_bar(progress.done, total))
            err.flush()

    job = run_import(container.sessions, import_id, now=container.clock,
                     service_address=settings.service_address, progress=show)
    if tty:
        err.write("\n")
    with container.sessions() as session:
        for line in import_lines(session, import_id):
            if line.outcome == "refused":
                print(f"line {line.line}{' ' + line.source if line.source else ''}: refused: {line.reason}", file=err)
    print(summary_line(job), file=out)
    return 0 if job.refused == 0 else 1


def add_import_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Register `import invoices` on the main parser."""
    imp = sub.add_parser("import", help="bring in existing invoices").add_subparsers(dest="import_command",
                                                                                      required=True)
    invoices = imp.add_parser("invoices", help="read a CSV of open invoices or a ZIP of PDF/UBL/Factur-X files; "
                              "prints each refused line and a summary (exit 1 when any line was refused)")
    invoices.add_argument("file")
    invoices.add_argument("--business", required=True, help="the business's id or exact name")
    invoices.set_defaults(func=cmd_import_invoices)
