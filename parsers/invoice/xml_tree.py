"""Namespace-agnostic look-ups in invoice XML (UBL and CII use several namespace versions)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from lxml import etree


class DoctypeRefused(ValueError):
    """The XML declares a DTD: invoice XML never needs one, and DTDs carry entity bombs and XXE."""


def untrusted_xml_parser() -> etree.XMLParser:
    """A parser for XML from strangers: no entity expansion, no DTD or network loading, no huge trees."""
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_pis=True)


def parse_untrusted_xml(data: bytes) -> etree._Element:
    """The root element of untrusted XML; raises XMLSyntaxError, or DoctypeRefused for any <!DOCTYPE>."""
    root = etree.fromstring(data, untrusted_xml_parser())
    if root.getroottree().docinfo.doctype:
        raise DoctypeRefused("the XML declares a document type (<!DOCTYPE>)")
    return root


def local(element: etree._Element) -> str:
    """The element's tag without namespace."""
    return etree.QName(element).localname


def path_xpath(path: str) -> str:
    """Turn `A/B//C` into an XPath on local names (`*[local-name()='A']/...`)."""
    parts = []
    for step in path.split("/"):
        parts.append("" if step == "" else f"*[local-name()='{step}']")
    return "/".join(parts)


def find_all(node: etree._Element | None, path: str) -> list[etree._Element]:
    """Elements under `node` at a local-name path (relative; `//` allowed)."""
    if node is None:
        return []
    return node.xpath("./" + path_xpath(path))


def find(node: etree._Element | None, path: str) -> etree._Element | None:
    """The first element at a local-name path, or None."""
    found = find_all(node, path)
    return found[0] if found else None


def text(node: etree._Element | None, path: str) -> str | None:
    """Stripped text of the first element at a path, None when absent or empty."""
    element = find(node, path) if path else node
    if element is None or element.text is None:
        return None
    value = " ".join(element.text.split())
    return value or None


def decimal(node: etree._Element | None, path: str) -> Decimal | None:
    """Decimal value of the first element at a path."""
    value = text(node, path)
    try:
        return Decimal(value) if value is not None else None
    except InvalidOperation:
        return None


def xml_date(value: str | None) -> date | None:
    """A date in UBL (`2025-03-07`) or CII format 102 (`20250307`) form."""
    if not value:
        return None
    for fmt in ("%Y-%m-%d", "%Y%m%d"):
        try:
            return datetime.strptime(value[:10] if fmt == "%Y-%m-%d" else value[:8], fmt).date()
        except ValueError:
            continue
    return None


def find_first(node: etree._Element | None, *paths: str) -> etree._Element | None:
    """The element at the first of several paths that exists (lxml elements are falsy, so no `or`)."""
    for path in paths:
        element = find(node, path)
        if element is not None:
            return element
    return None
