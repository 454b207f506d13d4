"""`dunning statement import FILE --business NAME_OR_ID`: import a bank statement and print what it did as JSON."""

import argparse
import json
import sys
from pathlib import Path

from worker.config import Settings


def cmd_statement_import(args: argparse.Namespace, settings: Settings) -> int:
    from parsers.bank import StatementUnreadable
    from worker.cli import _container
    from worker.usecases.bank_statements import import_statement
    from worker.usecases.businesses import find_business

    path = Path(args.file)
    if not path.is_file():
        print(f"no file {path}", file=sys.stderr)
        return 2
    container = _container(settings)
    with container.sessions.begin() as session:
        business = find_business(session, args.business)
        if business is None:
            print(f"no business {args.business!r}; give its id or exact name", file=sys.stderr)
            return 1
        try:
            _row, counts = import_statement(session, business, path.read_bytes(), filename=path.name, source="cli",
                                            now=container.clock(), letters=container.letter_settings())
        except StatementUnreadable as exc:
            print(f"{path}: {exc}", file=sys.stderr)
            return 1
    print(json.dumps(counts.as_dict()))
    return 0


def add_statement_commands(sub: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    """Register `statement import` on the main parser."""
    statement = sub.add_parser("statement", help="import bank statements").add_subparsers(
        dest="statement_command", required=True)
    imp = statement.add_parser("import", help="read a CAMT.053/054, MT940 or Dutch bank CSV statement, book the "
                               "credits it proves and print the counts as JSON")
    imp.add_argument("file")
    imp.add_argument("--business", required=True, help="the business's id or exact name")
    imp.set_defaults(func=cmd_statement_import)
