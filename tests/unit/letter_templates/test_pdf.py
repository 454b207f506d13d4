"""PDF conversion with LibreOffice.

The conversion tests need `soffice` (Debian: libreoffice-writer-nogui fonts-crosextra-carlito). On a
developer machine without it they are skipped with that reason; in CI (CI set) a missing soffice fails.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pdfplumber
import pytest

from letter_templates.library import builtin_names, builtin_template
from letter_templates.pdf import PdfConversionError, PdfConverter, PdfUnavailable
from letter_templates.render import render_letter
from letter_templates.vocabulary import sample_context


@pytest.fixture(scope="module")
def converter(tmp_path_factory) -> PdfConverter:
    converter = PdfConverter(tmp_path_factory.mktemp("lo-profile"))
    if not converter.available():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is required in CI for the PDF tests")
        pytest.skip("LibreOffice not installed: apt-get install libreoffice-writer-nogui")
    return converter


def test_missing_libreoffice_raises_pdf_unavailable(tmp_path: Path) -> None:
    converter = PdfConverter(tmp_path, executable="no-such-soffice")
    assert not converter.available()
    with pytest.raises(PdfUnavailable, match="install LibreOffice"):
        converter.convert(b"")


def test_every_builtin_converts_to_a_one_page_pdf_with_the_letter_text(converter: PdfConverter) -> None:
    letters = [render_letter(builtin_template(name, language), sample_context(), language)
               for name in builtin_names() for language in ("nl", "en")]
    pdfs = converter.convert_many([letter.docx for letter in letters])
    for pdf in pdfs:
        assert pdf.startswith(b"%PDF")
        with pdfplumber.open(io.BytesIO(pdf)) as document:
            # The final notice carries the whole contact history and may run onto a second page.
            assert len(document.pages) <= 2
            text = document.pages[0].extract_text()
        assert "Van Dijk Installatietechniek B.V." in text
    with pdfplumber.open(io.BytesIO(pdfs[2])) as document:  # reminder, nl (third letter, first language)
        text = document.pages[0].extract_text()
    assert "€ 2.084,56" in text and "NL91ABNA0417164300" in text and "2026-0157" in text


def test_a_file_libreoffice_cannot_read_raises_with_the_reason(converter: PdfConverter) -> None:
    with pytest.raises(PdfConversionError) as caught:
        converter.convert(b"PK\x03\x04 this is no docx")
    assert "LibreOffice made no PDF" in caught.value.reason
