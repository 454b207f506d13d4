"""Every built-in letter, tone and language rendered to DOCX and PDF, the PDF turned into PNG pages and read:
the letter's text is on the page and its SEPA QR code decodes to the payment it asks for.

Needs LibreOffice (`soffice`) and poppler (`pdftoppm`); skipped with the reason where they are missing, failed in
CI (CI set). The QR decoder is zxing-cpp (`pip install zxing-cpp`).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest

from letter_templates.epc import epc_payload
from letter_templates.filters import money
from letter_templates.library import LANGUAGES, TONES, builtin_names, builtin_template, builtin_tones
from letter_templates.pdf import PdfConverter
from letter_templates.render import RenderedLetter, render_letter
from letter_templates.vocabulary import sample_context

zxingcpp = pytest.importorskip("zxingcpp")
Image = pytest.importorskip("PIL.Image")

# Letters that ask for money carry the QR code; the others have nothing to pay.
NO_QR = {"thank_you", "business_notice", "invoice_problem", "payment_plan_confirmation"}
CASES = [(name, tone, language) for name in builtin_names() for tone in builtin_tones(name) for language in LANGUAGES]


def _required(tool: str) -> None:
    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is required in CI for the page tests")
        pytest.skip(f"{tool} not installed (Debian: libreoffice-writer-nogui, poppler-utils)")


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[tuple[str, str, str], tuple[RenderedLetter, bytes, Path]]:
    """Each case rendered, converted in one soffice start, and its pages as 150 dpi PNGs."""
    _required("soffice")
    _required("pdftoppm")
    work = tmp_path_factory.mktemp("pages")
    letters = {case: render_letter(builtin_template(case[0], case[2], case[1]), sample_context(case[0], case[2]),
                                   case[2]) for case in CASES}
    pdfs = PdfConverter(work / "profile").convert_many([letter.docx for letter in letters.values()])
    out = {}
    for (case, letter), pdf in zip(letters.items(), pdfs, strict=True):
        stem = work / "-".join(case)
        stem.with_suffix(".pdf").write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", "150", "-png", str(stem.with_suffix(".pdf")), str(stem)], check=True)
        out[case] = (letter, pdf, sorted(work.glob(f"{stem.name}-*.png")))
    return out


def test_tones_cover_the_ladder() -> None:
    for name in ("courtesy", "reminder", "firm_reminder", "last_reminder"):
        assert builtin_tones(name) == TONES


@pytest.mark.parametrize("case", CASES, ids=["-".join(c) for c in CASES])
def test_page_shows_the_letter_and_its_qr_code_pays_the_right_amount(pages, case) -> None:
    name, tone, language = case
    letter, pdf, png = pages[case]
    context = sample_context(name, language)
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        text = "\n".join(page.extract_text() for page in document.pages)
    assert "Van Dijk Installatietechniek B.V." in text
    assert "{{" not in text and "{%" not in text
    if name not in ("business_notice", "invoice_problem", "instalment_reminder"):
        assert "2026-0142" in text
    # A longer letter (a dossier, a part payment) carries its QR code on a later page.
    codes = [code for page in png for code in zxingcpp.read_barcodes(Image.open(page))
             if code.format == zxingcpp.BarcodeFormat.QRCode]
    if name in NO_QR:
        assert codes == []
        return
    payment = context["payment"]
    assert payment["amount"] == (context["instalment"]["amount"] if name == "instalment_reminder"
                                 else context["total_open"])
    assert [code.text for code in codes] == [epc_payload(
        name=context["business"]["name"], iban=payment["iban"], amount=payment["amount"],
        reference=payment["reference"], bic=payment["bic"])]
    assert codes[0].ec_level == "M"
    assert "NL91ABNA0417164300" in text and money(payment["amount"], "EUR", language) in text


def test_fourteen_day_letter_states_the_statutory_term_and_the_exact_costs(pages) -> None:
    letter, pdf, _ = pages[("fourteen_day_letter", "formal", "nl")]
    assert "binnen veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" in letter.text
    assert "Die bedragen € 312,30" in letter.text
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        words = " ".join(" ".join(page.extract_text() for page in document.pages).split())
    assert "€ 312,30" in words and "veertien dagen vanaf de dag nadat deze brief bij u is bezorgd" in words


def test_final_notice_lists_every_contact_and_the_deadline(pages) -> None:
    letter, _, _ = pages[("final_notice", "formal", "en")]
    for contact in sample_context("final_notice", "en")["history"]:
        assert contact["description"] in letter.text
    assert "10 December 2026" in letter.text


def test_plan_confirmation_lists_the_instalments(pages) -> None:
    letter, _, _ = pages[("payment_plan_confirmation", "formal", "nl")]
    assert "3 termijnen" in letter.text
    for line in ("1 december 2026", "€ 700,00", "1 februari 2027", "€ 684,56"):
        assert line in letter.text


def test_informal_and_plain_read_differently(pages) -> None:
    informal = pages[("reminder", "informal", "nl")][0].text
    plain = pages[("reminder", "plain", "nl")][0].text
    assert "Wil je" in informal and "Beste Anna de Vries" in informal
    assert "U moet nog € 2.084,56 betalen." in plain
