"""Recognise a statement file by its content (not its name) and hand it to the reader for its format."""

from parsers.bank.camt import CamtUnreadable, is_camt, read_camt
from parsers.bank.csv_nl import CsvUnreadable, bank_of, read_csv
from parsers.bank.model import Statement
from parsers.bank.mt940 import Mt940Unreadable, is_mt940, read_mt940


class StatementUnreadable(ValueError):
    """Not a bank statement this service reads; the message names the formats it does read."""


FORMATS = ("ISO 20022 CAMT.053 or CAMT.054 (XML), MT940, or the CSV export of Rabobank, ING or ABN AMRO (with its "
           "header line)")


def _binary(data: bytes) -> bool:
    """PDFs, Office files and images are never statements, whatever bytes their streams happen to hold."""
    return data.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8")) or b"\x00" in data[:4000]


def is_statement(data: bytes) -> bool:
    """Whether the bytes look like a statement in a format we read (used to pick mail attachments)."""
    return not _binary(data) and (is_camt(data) or is_mt940(data) or bank_of(data) is not None)


def read_statement(data: bytes) -> Statement:
    """Read a statement file of any supported format; raises StatementUnreadable with what to do."""
    try:
        if _binary(data):
            pass
        elif is_camt(data):
            return read_camt(data)
        elif is_mt940(data):
            return read_mt940(data)
        elif bank_of(data) is not None:
            return read_csv(data)
    except (CamtUnreadable, Mt940Unreadable, CsvUnreadable) as exc:
        raise StatementUnreadable(f"the statement cannot be read: {exc}; export it again from your bank") from exc
    raise StatementUnreadable(f"this is not a bank statement the service reads; export {FORMATS} from your "
                              "bank's online banking")
