"""Bank statements → statement lines: ISO 20022 CAMT.053/054, MT940 and Dutch banks' CSV exports."""

from parsers.bank.detect import StatementUnreadable, read_statement
from parsers.bank.model import Statement, StatementLine

__all__ = ["Statement", "StatementLine", "StatementUnreadable", "read_statement"]
