"""What an invoice reader takes from a PDF (embedded files, page texts) and which pages of a long one it reads."""

from __future__ import annotations

from dataclasses import dataclass

from parsers.invoice.errors import DocumentTooLarge

MAX_PAGES = 10
# No invoice runs to more pages; a 5,000-page PDF is refused before any page is read.
MAX_DOCUMENT_PAGES = 50
# Of a longer PDF the first pages carry number, dates and parties, the last ones the totals: read both ends
# (the item pages between them hold no headline field and would only cost time).
TAIL_PAGES = 5


@dataclass(frozen=True)
class PdfContent:
    """What an invoice reader needs from a PDF: embedded files and the text of each page."""

    embedded: dict[str, bytes]
    pages: list[str]


def check_page_count(count: int, filename: str) -> None:
    """Raise DocumentTooLarge for a PDF with more pages than any invoice has."""
    if count > MAX_DOCUMENT_PAGES:
        raise DocumentTooLarge(f"{filename} has {count} pages; an invoice of more than "
                               f"{MAX_DOCUMENT_PAGES} pages is not read", filename)


def chosen_pages(count: int) -> list[int]:
    """Indexes of the pages to read: all of a short PDF, the first and last few of a long one."""
    if count <= MAX_PAGES:
        return list(range(count))
    return [*range(MAX_PAGES - TAIL_PAGES), *range(count - TAIL_PAGES, count)]


def has_text(content: PdfContent) -> bool:
    """Whether the PDF gave anything to read: an embedded file or a page with text."""
    return bool(content.embedded) or any(page.strip() for page in content.pages)
