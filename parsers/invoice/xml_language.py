"""The language of a UBL or CII invoice: its notes, item names and terms, else the text of an embedded PDF."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Iterable

from lxml import etree

from parsers.invoice.errors import InvoiceDocumentError
from parsers.invoice.language import detect_language
from parsers.invoice.layout import normalise_lines
from parsers.invoice.pdf_file import read_pdf
from parsers.invoice.xml_tree import path_xpath

# Free text the issuer wrote (party names and codes say nothing about the language).
_TEXT_PATHS = (
    "Note", "Item/Name", "Item/Description", "AllowanceChargeReason", "TaxExemptionReason", "InstructionNote",
    "IncludedNote/Content", "SpecifiedTradeProduct/Name", "SpecifiedTradeProduct/Description",
    "SpecifiedTradePaymentTerms/Description", "Reason", "ExemptionReason",
)
_PDF_PATH = "AdditionalDocumentReference/Attachment/EmbeddedDocumentBinaryObject"


def _everywhere(root: etree._Element, path: str) -> list[etree._Element]:
    return root.xpath(".//" + path_xpath(path))


def _free_text(root: etree._Element) -> str:
    nodes = {node: None for path in _TEXT_PATHS for node in _everywhere(root, path)}
    return "\n".join(" ".join((node.text or "").split()) for node in nodes)


def _embedded_pdf_text(root: etree._Element) -> str:
    for node in _everywhere(root, _PDF_PATH):
        if "pdf" not in (node.get("mimeCode") or "").lower():
            continue
        try:
            data = base64.b64decode(node.text or "", validate=False)
            content = read_pdf(data, node.get("filename") or "attachment.pdf", text_needed=lambda _: True)
        except (binascii.Error, ValueError, InvoiceDocumentError):
            continue
        return "\n".join(normalise_lines(content.pages))
    return ""


def xml_language(root: etree._Element, countries: Iterable[str | None]) -> str | None:
    """nl, en, de or fr when the document's own words decide it; None otherwise (a country alone never does)."""
    countries = list(countries)
    # The notes and item names are few words, all the issuer's own: two clear words decide.
    language = detect_language(_free_text(root), countries, minimum=2)
    if language is None:
        pdf_text = _embedded_pdf_text(root)
        language = detect_language(pdf_text, countries) if pdf_text else None
    return language
