"""Read a PDF with pdfplumber: the fallback reader, the scan/corruption verdict, catalog /AF attachments."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import NoReturn

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdftypes import resolve1

from parsers.invoice.char_layout import Char, layout_text, without_ghost_spaces
from parsers.invoice.errors import CorruptDocument, EncryptedDocument, ScannedDocument
from parsers.invoice.pdf_content import PdfContent, check_page_count, chosen_pages, has_text


def _name_tree(node: object) -> Iterator[tuple[str, object]]:
    node = resolve1(node)
    if not isinstance(node, dict):
        return
    names = resolve1(node.get("Names"))
    if isinstance(names, list):
        for i in range(0, len(names) - 1, 2):
            key = resolve1(names[i])
            yield (key.decode("latin-1") if isinstance(key, bytes) else str(key)), names[i + 1]
    for kid in resolve1(node.get("Kids")) or []:
        yield from _name_tree(kid)


def _file_bytes(spec: object) -> tuple[str | None, bytes | None]:
    spec = resolve1(spec)
    if not isinstance(spec, dict):
        return None, None
    name = resolve1(spec.get("UF") or spec.get("F"))
    if isinstance(name, bytes):
        name = name.decode("utf-16") if name.startswith(b"\xfe\xff") else name.decode("latin-1")
    streams = resolve1(spec.get("EF"))
    if not isinstance(streams, dict):
        return name, None
    stream = resolve1(streams.get("F") or streams.get("UF"))
    try:
        return name, stream.get_data()
    except Exception:  # noqa: BLE001 - a broken attachment stream is simply skipped
        return name, None


def embedded_files(pdf: pdfplumber.PDF) -> dict[str, bytes]:
    """Embedded files (name → bytes) from the EmbeddedFiles name tree and the catalog's AF array."""
    files: dict[str, bytes] = {}
    catalog = pdf.doc.catalog
    names = resolve1(catalog.get("Names"))
    specs: list[object] = []
    if isinstance(names, dict) and "EmbeddedFiles" in names:
        specs.extend(spec for _, spec in _name_tree(names["EmbeddedFiles"]))
    specs.extend(resolve1(catalog.get("AF")) or [])
    for spec in specs:
        name, data = _file_bytes(spec)
        if data is not None:
            files.setdefault(name or f"attachment{len(files)}", data)
    return files


def embedded_files_of(data: bytes) -> dict[str, bytes]:
    """Embedded files of PDF bytes; empty when pdfminer cannot open them."""
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return embedded_files(pdf)
    except Exception:  # noqa: BLE001 - only a second look for attachments; the text reader already opened the file
        return {}


def page_text(page: pdfplumber.page.Page) -> str:
    """Layout text of one page (columns kept as spaces)."""
    chars = [Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"], bool(c["upright"]), c["size"])
             for c in page.chars]
    return layout_text(without_ghost_spaces(chars), page.bbox[0])


def read_with_pdfplumber(data: bytes, filename: str,
                         text_needed: Callable[[dict[str, bytes]], bool] | None = None, *,
                         embedded: bool = True) -> PdfContent:
    """Embedded files (unless `embedded` is False) and per-page layout text; raises EncryptedDocument,
    ScannedDocument, CorruptDocument or DocumentTooLarge (too many pages)."""
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:  # noqa: BLE001 - pdfplumber wraps pdfminer errors in PdfminerException
        _raise_open_error(exc, filename)
    return _read_open_pdf(pdf, filename, text_needed, embedded)


def _declared_pages(pdf: pdfplumber.PDF) -> int | None:
    """The page tree's /Count, read without building every page object."""
    try:
        count = resolve1(resolve1(pdf.doc.catalog.get("Pages")).get("Count"))
    except Exception:  # noqa: BLE001 - a broken page tree is judged when the pages are read
        return None
    return count if isinstance(count, int) else None


def _raise_open_error(exc: Exception, filename: str) -> NoReturn:
    cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    if isinstance(cause, (PDFPasswordIncorrect, PDFEncryptionError)) or "password" in repr(cause).lower():
        raise EncryptedDocument(f"{filename} is password-protected; ask the sender for an unprotected PDF",
                                filename) from exc
    raise CorruptDocument(f"{filename} is damaged and cannot be opened as a PDF", filename) from exc


def _read_open_pdf(pdf: pdfplumber.PDF, filename: str,
                   text_needed: Callable[[dict[str, bytes]], bool] | None, embedded: bool) -> PdfContent:
    with pdf:
        check_page_count(_declared_pages(pdf) or 0, filename)
        try:
            files = embedded_files(pdf) if embedded else {}
        except Exception:  # noqa: BLE001 - a broken name tree must not hide the page text
            files = {}
        if text_needed is not None and not text_needed(files):
            return PdfContent(files, [])
        pages: list[str] = []
        images = 0
        try:
            for index in chosen_pages(len(pdf.pages)):
                page = pdf.pages[index]
                pages.append(page_text(page))
                images += len(page.images)
                page.close()
        except Exception as exc:  # noqa: BLE001 - any page failure: keep what was read, else report
            if has_text(PdfContent(files, pages)):
                return PdfContent(files, pages)
            _raise_open_error(exc, filename)
    content = PdfContent(files, pages)
    if not has_text(content):
        if images:
            raise ScannedDocument(f"{filename} is a scanned image without text; ask the sender for the original "
                                  "PDF or an e-invoice", filename)
        raise CorruptDocument(f"{filename} has no readable text", filename)
    return content
