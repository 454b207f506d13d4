"""Parse one invoice document (PDF, PDF with embedded Factur-X/ZUGFeRD/UBL, or XML) into a ParsedInvoice."""

from __future__ import annotations

import dataclasses

from lxml import etree

from parsers.invoice.cii import read_cii
from parsers.invoice.errors import CorruptDocument, DocumentTooLarge, NotAnInvoice
from parsers.invoice.model import ParsedInvoice
from parsers.invoice.pdf_file import read_pdf
from parsers.invoice.problems import find_problems
from parsers.invoice.text_reader import read_text
from parsers.invoice.ubl import read_ubl

MAX_BYTES = 20 * 1024 * 1024
_UBL_ROOTS = {"Invoice", "CreditNote"}
_CII_ROOTS = {"CrossIndustryInvoice", "CrossIndustryDocument"}
_KEY_FIELDS = ("invoice_number", "issue_date", "due_date", "amount_due", "currency")


def _xml_root(data: bytes) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        return None


def _is_invoice_xml(root: etree._Element | None) -> bool:
    return root is not None and etree.QName(root).localname in _UBL_ROOTS | _CII_ROOTS


def read_xml(root: etree._Element, filename: str, source: str | None = None) -> ParsedInvoice:
    """Dispatch an invoice XML root to the UBL or CII reader."""
    if etree.QName(root).localname in _UBL_ROOTS:
        invoice = read_ubl(root, filename)
        return dataclasses.replace(invoice, source=source or "ubl")
    return read_cii(root, filename, source=source or "cii")


def _with_checks(invoice: ParsedInvoice, exact: bool) -> ParsedInvoice:
    confidence = dict(invoice.confidence)
    if exact:
        for name in _KEY_FIELDS + ("payment_terms_days", "total_excl_vat", "vat_total"):
            if getattr(invoice, name) is not None:
                confidence[name] = 1.0
    return dataclasses.replace(invoice, confidence=confidence, problems=find_problems(invoice))


def _embedded_invoice(files: dict[str, bytes]) -> tuple[str, etree._Element] | None:
    for name, content in sorted(files.items(), key=lambda kv: not kv[0].lower().endswith(".xml")):
        if not content.lstrip()[:200].startswith((b"<", b"\xef\xbb\xbf<")):
            continue
        root = _xml_root(content)
        if _is_invoice_xml(root):
            return name, root
    return None


def parse_invoice_document(data: bytes, filename: str, *, structured: bool = True) -> ParsedInvoice:
    """Read an invoice; raises NotAnInvoice, EncryptedDocument, ScannedDocument, CorruptDocument, DocumentTooLarge.

    `structured=False` ignores XML embedded in a PDF and reads the page text (for evaluating the text reader).
    """
    if len(data) > MAX_BYTES:
        raise DocumentTooLarge(f"{filename} is {len(data) / 1024 / 1024:.1f} MB, over the "
                               f"{MAX_BYTES // 1024 // 1024} MB limit", filename)
    head = data.lstrip()[:1024]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        content = read_pdf(data, filename,
                           text_needed=lambda files: not structured or _embedded_invoice(files) is None)
        embedded = _embedded_invoice(content.embedded) if structured else None
        if embedded is not None:
            root = embedded[1]
            source = "factur-x" if etree.QName(root).localname in _CII_ROOTS else "ubl"
            return _with_checks(read_xml(root, filename, source), exact=True)
        invoice = read_text(content.pages, filename)
        if invoice.invoice_number is None and invoice.amount_due is None:
            raise NotAnInvoice(f"{filename} does not look like an invoice: no invoice number and no amount found",
                               filename)
        return _with_checks(invoice, exact=False)
    if head.startswith((b"<", b"\xef\xbb\xbf")):
        root = _xml_root(data)
        if root is None:
            raise CorruptDocument(f"{filename} is not well-formed XML", filename)
        if not _is_invoice_xml(root):
            raise NotAnInvoice(f"{filename} is XML but not an invoice (root element "
                               f"<{etree.QName(root).localname}>)", filename)
        return _with_checks(read_xml(root, filename), exact=True)
    raise CorruptDocument(f"{filename} is neither a PDF nor an XML invoice", filename)
