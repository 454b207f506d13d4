"""Read strangers' documents (invoices, remittance advice) in the sandbox's warm children; a blow-up becomes the
file's error."""

from __future__ import annotations

from collections.abc import Sequence

from parsers.invoice import DocumentTooLarge, InvoiceAttachments, ParsedInvoice, parse_invoice_attachments
from parsers.invoice import parse_invoice_document as parse_in_process
from parsers.remittance import RemittanceLine, UnreadableRemittance, remittance_lines
from worker.sandbox import ContainedFailure, run_warm


def _reason(failure: ContainedFailure, what: str) -> str:
    if failure.kind == "time":
        return (f"{what} could not be read in time ({failure.detail}); it is not read "
                "(ask the sender for the original file)")
    return (f"{what} needs more memory to read than any invoice does ({failure.detail}); it is not read "
            "(ask the sender for the original file)")


def read_invoice_document(data: bytes, filename: str) -> ParsedInvoice:
    """`parse_invoice_document` in a sandboxed child process; running out of memory or time raises DocumentTooLarge."""
    try:
        return run_warm(parse_in_process, data, filename)
    except ContainedFailure as failure:
        raise DocumentTooLarge(_reason(failure, filename), filename) from failure


def read_invoice_attachments(attachments: Sequence[tuple[str, str, bytes]]) -> InvoiceAttachments:
    """`parse_invoice_attachments`, each document read under its own limits in a sandboxed child."""
    return parse_invoice_attachments(attachments, read=read_invoice_document)


def read_remittance_lines(text: str, attachments: Sequence[tuple[str, bytes]]) -> list[RemittanceLine]:
    """`remittance_lines` in a sandboxed child process; running out of memory or time raises UnreadableRemittance."""
    try:
        return run_warm(remittance_lines, text, list(attachments))
    except ContainedFailure as failure:
        raise UnreadableRemittance(_reason(failure, "the remittance attachment")) from failure
