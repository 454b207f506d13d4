"""Typed errors for invoice documents that cannot be read, each with a clerk-readable one-line reason."""

from __future__ import annotations


class InvoiceDocumentError(Exception):
    """A document that could not be read as an invoice; `.reason` says why and `.filename` which file."""

    kind = "unreadable"

    def __init__(self, reason: str, filename: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.filename = filename


class NotAnInvoice(InvoiceDocumentError):
    """The document reads fine but is not an invoice or credit note."""

    kind = "not_an_invoice"


class EncryptedDocument(InvoiceDocumentError):
    """The PDF is password-protected."""

    kind = "encrypted"


class ScannedDocument(InvoiceDocumentError):
    """The PDF holds only images (a scan) and no text."""

    kind = "scanned"


class CorruptDocument(InvoiceDocumentError):
    """The bytes are not a readable PDF or XML file."""

    kind = "corrupt"


class DocumentTooLarge(InvoiceDocumentError):
    """The document exceeds the size limit."""

    kind = "too_large"
