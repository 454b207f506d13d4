"""Invoice documents (PDF, Factur-X/ZUGFeRD, UBL, CII) to facts: `parse_invoice_document` and friends."""

from parsers.invoice.attachments import InvoiceAttachments, parse_invoice_attachments
from parsers.invoice.document import MAX_BYTES, parse_invoice_document
from parsers.invoice.errors import (
    CorruptDocument,
    DocumentTooLarge,
    EncryptedDocument,
    InvoiceDocumentError,
    NotAnInvoice,
    ScannedDocument,
)
from parsers.invoice.model import ParsedInvoice, Party, Problem

__all__ = [
    "MAX_BYTES", "CorruptDocument", "DocumentTooLarge", "EncryptedDocument", "InvoiceAttachments",
    "InvoiceDocumentError", "NotAnInvoice", "ParsedInvoice", "Party", "Problem", "ScannedDocument",
    "parse_invoice_attachments", "parse_invoice_document",
]
