"""Parse all attachments of one e-mail: invoices (XML preferred over its PDF), errors, ignored files."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from parsers.invoice.document import parse_invoice_document
from parsers.invoice.errors import InvoiceDocumentError, NotAnInvoice
from parsers.invoice.model import ParsedInvoice

_DOCUMENT_TYPES = ("application/pdf", "application/xml", "text/xml", "application/octet-stream")


@dataclass
class InvoiceAttachments:
    """The outcome for one e-mail's attachments."""

    invoices: list[ParsedInvoice] = field(default_factory=list)
    errors: list[InvoiceDocumentError] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)


def _is_document(filename: str, content_type: str) -> bool:
    name = filename.lower()
    return name.endswith((".pdf", ".xml")) or content_type.lower().split(";")[0].strip() in _DOCUMENT_TYPES[:3]


def parse_invoice_attachments(attachments: Sequence[tuple[str, str, bytes]],
                              read: Callable[[bytes, str], ParsedInvoice] = parse_invoice_document,
                              ) -> InvoiceAttachments:
    """Parse each PDF/XML attachment; an XML invoice replaces a PDF reading of the same invoice number.

    `read` reads one document (the caller may run it in a sandbox); it raises InvoiceDocumentError."""
    result = InvoiceAttachments()
    for filename, content_type, data in attachments:
        if not _is_document(filename, content_type):
            result.ignored.append(filename)
            continue
        try:
            result.invoices.append(read(data, filename))
        except NotAnInvoice as exc:
            if filename.lower().endswith(".xml"):
                result.ignored.append(filename)
            else:
                result.errors.append(exc)
        except InvoiceDocumentError as exc:
            result.errors.append(exc)
    structured = {(i.invoice_number or "").strip().lower() for i in result.invoices if i.source != "pdf-text"}
    result.invoices = [i for i in result.invoices
                       if i.source != "pdf-text" or (i.invoice_number or "").strip().lower() not in structured]
    return result
