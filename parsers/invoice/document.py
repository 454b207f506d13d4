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
from parsers.invoice.xml_tree import DoctypeRefused, parse_untrusted_xml

MAX_BYTES = 20 * 1024 * 1024
_UBL_ROOTS = {"Invoice", "CreditNote"}
_CII_ROOTS = {"CrossIndustryInvoice", "CrossIndustryDocument"}
_KEY_FIELDS = ("invoice_number", "issue_date", "due_date", "amount_due", "currency")


def _xml_root(data: bytes) -> etree._Element | None:
    try:
        return parse_untrusted_xml(data)
    except (etree.XMLSyntaxError, DoctypeRefused):
        return None


def _xml_document_root(data: bytes, filename: str) -> etree._Element:
    """The root of an XML attachment; a DTD (entity bombs, XXE) or broken XML is refused with the reason."""
    try:
        root = parse_untrusted_xml(data)
    except etree.XMLSyntaxError as exc:
        if b"<!DOCTYPE" not in data[:65536]:
            raise CorruptDocument(f"{filename} is not well-formed XML", filename) from exc
        root = None  # broken inside its DTD (an entity bomb): refused for the DTD below
    except DoctypeRefused:
        root = None
    if root is None:
        raise CorruptDocument(f"{filename} declares a document type (<!DOCTYPE>), which invoice XML never does; "
                              "it is not read (ask the sender for a plain UBL or CII file)", filename)
    return root


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
                confidence.setdefault(name, 1.0)  # a field filled from the page keeps its own score
    return dataclasses.replace(invoice, confidence=confidence, problems=find_problems(invoice))


def _embedded_invoice(files: dict[str, bytes]) -> tuple[str, etree._Element] | None:
    for name, content in sorted(files.items(), key=lambda kv: not kv[0].lower().endswith(".xml")):
        if not content.lstrip()[:200].startswith((b"<", b"\xef\xbb\xbf<")):
            continue
        root = _xml_root(content)
        if _is_invoice_xml(root):
            return name, root
    return None


def _xml_gaps(files: dict[str, bytes]) -> bool:
    """Whether the page text is needed: no embedded invoice XML, or one without the buyer's e-mail, terms,
    postal address or a language."""
    embedded = _embedded_invoice(files)
    if embedded is None:
        return True
    invoice = read_xml(embedded[1], embedded[0])
    return (invoice.buyer.email is None or invoice.payment_terms_days is None or invoice.buyer.address is None
            or invoice.language is None)


def _completed_from_page(invoice: ParsedInvoice, page: ParsedInvoice) -> ParsedInvoice:
    """The XML invoice with what only the page prints: the buyer's e-mail addresses and the payment terms.
    The XML stays authoritative for every field it states."""
    buyer = invoice.buyer
    if buyer.email is None and page.buyer.email is not None and page.buyer.email != invoice.seller.email:
        buyer = dataclasses.replace(buyer, email=page.buyer.email)
    if buyer.general_email is None and page.buyer.general_email is not None:
        buyer = dataclasses.replace(buyer, general_email=page.buyer.general_email)
    if buyer.address is None and page.buyer.address is not None:
        buyer = dataclasses.replace(buyer, address=page.buyer.address, country=buyer.country or page.buyer.country)
    confidence = dict(invoice.confidence)
    terms = invoice.payment_terms_days
    if terms is None and page.payment_terms_days is not None:
        terms = page.payment_terms_days
        confidence["payment_terms_days"] = page.confidence.get("payment_terms_days", 0.8)
    if buyer.email is not None and invoice.buyer.email is None:
        confidence["buyer.email"] = page.confidence.get("buyer.email", 0.8)
    return dataclasses.replace(invoice, buyer=buyer, payment_terms_days=terms, confidence=confidence,
                               language=invoice.language or page.language)


def parse_invoice_document(data: bytes, filename: str, *, structured: bool = True) -> ParsedInvoice:
    """Read an invoice; raises NotAnInvoice, EncryptedDocument, ScannedDocument, CorruptDocument, DocumentTooLarge.

    `structured=False` ignores XML embedded in a PDF and reads the page text (for evaluating the text reader).
    """
    if len(data) > MAX_BYTES:
        raise DocumentTooLarge(f"{filename} is {len(data) / 1024 / 1024:.1f} MB, over the "
                               f"{MAX_BYTES // 1024 // 1024} MB limit", filename)
    head = data.lstrip()[:1024]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        content = read_pdf(data, filename, text_needed=lambda files: not structured or _xml_gaps(files))
        embedded = _embedded_invoice(content.embedded) if structured else None
        if embedded is not None:
            root = embedded[1]
            source = "factur-x" if etree.QName(root).localname in _CII_ROOTS else "ubl"
            invoice = read_xml(root, filename, source)
            if content.pages:
                invoice = _completed_from_page(invoice, read_text(content.pages, filename))
            return _with_checks(invoice, exact=True)
        invoice = read_text(content.pages, filename)
        if invoice.invoice_number is None and invoice.amount_due is None:
            raise NotAnInvoice(f"{filename} does not look like an invoice: no invoice number and no amount found",
                               filename)
        return _with_checks(invoice, exact=False)
    if head.startswith((b"<", b"\xef\xbb\xbf")):
        root = _xml_document_root(data, filename)
        if not _is_invoice_xml(root):
            raise NotAnInvoice(f"{filename} is XML but not an invoice (root element "
                               f"<{etree.QName(root).localname}>)", filename)
        return _with_checks(read_xml(root, filename), exact=True)
    raise CorruptDocument(f"{filename} is neither a PDF nor an XML invoice", filename)
