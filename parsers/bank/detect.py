"""Recognise a statement file by its content (not its name) and hand it to the reader for its format."""

from parsers.bank.camt import CamtUnreadable, is_camt, read_camt
from parsers.bank.model import Statement


class StatementUnreadable(ValueError):
    """Not a bank statement this service reads; the message names the formats it does read."""


FORMATS = "ISO 20022 CAMT.053 or CAMT.054 (XML)"


def is_statement(data: bytes) -> bool:
    """Whether the bytes look like a statement in a format we read (used to pick mail attachments)."""
    return is_camt(data)


def read_statement(data: bytes) -> Statement:
    """Read a statement file of any supported format; raises StatementUnreadable with what to do."""
    if is_camt(data):
        try:
            return read_camt(data)
        except CamtUnreadable as exc:
            raise StatementUnreadable(f"the CAMT file cannot be read: {exc}; export the statement again from "
                                      "your bank") from exc
    raise StatementUnreadable(f"this is not a bank statement the service reads; export {FORMATS} from your "
                              "bank's online banking")
