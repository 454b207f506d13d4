"""Read a PDF with pypdfium2 (fast path): attachments and the layout text of the chosen pages."""

from __future__ import annotations

from collections.abc import Callable

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from parsers.invoice.char_layout import layout_text, without_ghost_spaces
from parsers.invoice.errors import EncryptedDocument
from parsers.invoice.pdf_content import PdfContent, check_page_count, chosen_pages, has_text
from parsers.invoice.pdfium_chars import page_chars

# pdfium lists only the EmbeddedFiles name tree; a file referenced from the catalog's /AF array alone needs
# pdfminer. Embedded file streams are never inside object streams, so their markers show in the raw bytes.
_ATTACHMENT_MARKERS = (b"/EmbeddedFile", b"/AF")


class PdfiumCannotRead(Exception):
    """pdfium could not give a trustworthy reading; pdfplumber reads the file instead."""


def _attachments(pdf: pdfium.PdfDocument) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    for index in range(pdf.count_attachments()):
        attachment = pdf.get_attachment(index)
        try:
            data = bytes(attachment.get_data())
        except pdfium.PdfiumError:  # an empty or broken attachment stream is skipped, as pdfminer's reading does
            continue
        files.setdefault(attachment.get_name() or f"attachment{len(files)}", data)
    return files


def might_have_unlisted_attachments(data: bytes, files: dict[str, bytes]) -> bool:
    """Whether pdfminer should look for attachments pdfium does not list (catalog /AF only)."""
    return not files and any(marker in data for marker in _ATTACHMENT_MARKERS)


def read_with_pdfium(data: bytes, filename: str,
                     text_needed: Callable[[dict[str, bytes]], bool] | None,
                     unlisted_attachments: Callable[[bytes], dict[str, bytes]], *,
                     embedded: bool = True) -> PdfContent:
    """Embedded files (unless `embedded` is False) and per-page layout text; raises EncryptedDocument,
    DocumentTooLarge (too many pages) or PdfiumCannotRead."""
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise EncryptedDocument(f"{filename} is password-protected; ask the sender for an unprotected PDF",
                                    filename) from exc
        raise PdfiumCannotRead(str(exc)) from exc
    try:
        check_page_count(len(pdf), filename)
        return _read_open_pdf(pdf, data, text_needed, unlisted_attachments if embedded else None)
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        raise PdfiumCannotRead(str(exc)) from exc
    finally:
        pdf.close()


def _read_open_pdf(pdf: pdfium.PdfDocument, data: bytes, text_needed: Callable[[dict[str, bytes]], bool] | None,
                   unlisted_attachments: Callable[[bytes], dict[str, bytes]] | None) -> PdfContent:
    """`unlisted_attachments` None: the embedded files are too big to load and are not read at all."""
    files = _attachments(pdf) if unlisted_attachments is not None else {}
    if unlisted_attachments is not None and might_have_unlisted_attachments(data, files):
        files = unlisted_attachments(data)
    if text_needed is not None and not text_needed(files):
        return PdfContent(files, [])
    pages = []
    for index in chosen_pages(len(pdf)):
        page = pdf[index]
        try:
            if page.get_rotation():
                # pdfminer turns a /Rotate page upright before reading it; this reader does not
                raise PdfiumCannotRead("rotated page")
            left, bottom, _, top = page.get_mediabox()
            pages.append(layout_text(without_ghost_spaces(page_chars(page, top - bottom)), left))
        finally:
            page.close()
    content = PdfContent(files, pages)
    if not has_text(content):
        # a scan, or text pdfium cannot map: pdfplumber gives the verdict (scanned / no readable text)
        raise PdfiumCannotRead("no text")
    return content
