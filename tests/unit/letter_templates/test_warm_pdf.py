"""The warm unoserver converter: fast PDFs while the server answers, the cold fallback whenever it does not.

The warm tests need unoserver installed as letter_templates.warm_pdf describes (in `data/unoserver-venv`, or
the command in DUNNING_UNOSERVER); without it they are skipped with that reason.
"""

from __future__ import annotations

import io
import os
import signal
from pathlib import Path

import pdfplumber
import pytest

from letter_templates.library import builtin_template
from letter_templates.pdf import PdfUnavailable
from letter_templates.render import render_letter
from letter_templates.vocabulary import sample_context
from letter_templates.warm_pdf import UnoserverConverter, UnoserverPool, unoserver_in

ROOT = Path(__file__).resolve().parents[3]
UNOSERVER = Path(os.environ.get("DUNNING_UNOSERVER") or unoserver_in(ROOT))


class FakeCold:
    def __init__(self) -> None:
        self.converted = 0

    def available(self) -> bool:
        return True

    def convert(self, docx: bytes) -> bytes:
        self.converted += 1
        return b"%PDF-cold"


def _letter() -> bytes:
    return render_letter(builtin_template("reminder", "nl"), sample_context(), "nl").docx


def test_without_unoserver_letters_fall_back_to_the_cold_converter(tmp_path: Path) -> None:
    cold = FakeCold()
    converter = UnoserverConverter(tmp_path, unoserver=tmp_path / "no-unoserver", fallback=cold)
    assert converter.convert(b"docx") == b"%PDF-cold" and converter.convert(b"docx") == b"%PDF-cold"
    assert cold.converted == 2 and not converter.warm
    assert "could not be started" in converter.status and converter.available()


def test_without_unoserver_and_fallback_says_how_to_install(tmp_path: Path) -> None:
    converter = UnoserverConverter(tmp_path, unoserver=tmp_path / "no-unoserver")
    assert not converter.available()
    with pytest.raises(PdfUnavailable, match="install lines"):
        converter.convert(b"docx")


@pytest.fixture(scope="module")
def warm(tmp_path_factory):
    if not UNOSERVER.exists():
        if os.environ.get("CI"):  # scripts/test.sh installs it: missing there is a failure, not a skip
            pytest.fail(f"unoserver not installed at {UNOSERVER}; scripts/install.sh sets it up")
        pytest.skip(f"unoserver not installed at {UNOSERVER} (see letter_templates.warm_pdf)")
    cold = FakeCold()
    converter = UnoserverConverter(tmp_path_factory.mktemp("warm"), unoserver=UNOSERVER, fallback=cold)
    assert converter.start(), converter.status
    yield converter, cold
    converter.close()


def test_warm_conversion_gives_the_letter_as_pdf(warm) -> None:
    converter, cold = warm
    pdf = converter.convert(_letter())
    with pdfplumber.open(io.BytesIO(pdf)) as document:
        assert "€ 2.084,56" in document.pages[0].extract_text()
    assert cold.converted == 0 and converter.warm


class BrokenClient:
    def convert(self, **kwargs) -> bytes:
        raise ConnectionRefusedError("server went away")


def test_a_failed_conversion_goes_out_cold_and_the_server_restarts(warm) -> None:
    converter, cold = warm
    converter._client = BrokenClient()
    assert converter.convert(_letter()) == b"%PDF-cold"  # this letter goes out cold
    assert cold.converted == 1 and "server went away" in converter.status
    assert converter.convert(_letter()).startswith(b"%PDF-1")  # the next one restarts the server
    assert converter.warm


def test_a_server_found_dead_is_restarted_before_the_letter(warm) -> None:
    converter, cold = warm
    before = converter._process.pid
    os.killpg(before, signal.SIGKILL)
    converter._process.wait()
    assert converter.convert(_letter()).startswith(b"%PDF-1")
    assert converter._process.pid != before and cold.converted == 1


def test_pool_spreads_letters_and_stops_every_instance(tmp_path: Path) -> None:
    cold = FakeCold()
    pool = UnoserverPool.of(2, tmp_path, unoserver=tmp_path / "none", fallback=cold)
    assert [pool.convert(b"x") for _ in range(3)] == [b"%PDF-cold"] * 3
    pool.close()
    assert len(pool.converters) == 2
