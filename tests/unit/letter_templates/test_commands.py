"""lint_file and render_sample, the functions behind `dunning letter lint|render`."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from docx import Document

from letter_templates.commands import lint_file, render_sample
from letter_templates.library import BUILTIN_DIR

from .docx_factory import reminder_docx
from .hostile_docx import zip_bomb


def test_lint_file_exit_0_and_silent_for_a_valid_template() -> None:
    out = io.StringIO()
    assert lint_file(BUILTIN_DIR / "reminder.nl.docx", out) == 0
    assert out.getvalue() == ""


def test_lint_file_prints_one_line_per_problem(tmp_path: Path) -> None:
    path = tmp_path / "reminder.mijn.docx"
    path.write_bytes(reminder_docx("{{ debtor.adress }}", "{{ ''.__class__ }}"))
    out = io.StringIO()
    assert lint_file(path, out) == 1
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("reminder.mijn.docx: paragraph 2") and "did you mean {{ debtor.address }}" in lines[0]
    assert "refused" in lines[1]


def test_render_sample_to_docx(tmp_path: Path) -> None:
    out = tmp_path / "preview.docx"
    render_sample(BUILTIN_DIR / "courtesy.en.docx", out, "en")
    document = Document(out)
    window = document.tables[0].rows[0].cells[0].text  # the address window of a window envelope
    assert "Bouwbedrijf Jansen & Zn. B.V." in window and "1271 AE Huizen" in window
    assert "Dear Anna de Vries" in "\n".join(p.text for p in document.paragraphs)


def test_render_sample_refuses_other_formats(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=".pdf or .docx"):
        render_sample(BUILTIN_DIR / "courtesy.en.docx", tmp_path / "preview.odt", "en")


def test_lint_file_refuses_a_template_the_sample_letter_cannot_render_within_the_limits(tmp_path: Path) -> None:
    path = tmp_path / "reminder.nl.docx"
    path.write_bytes(reminder_docx("{% for i in range(100000000) %}{{ i }}{% endfor %}"))
    out = io.StringIO()
    assert lint_file(path, out) == 1
    [line] = out.getvalue().splitlines()
    assert line.startswith("reminder.nl.docx: paragraph 2") and "range(100000000)" in line


def test_lint_file_refuses_a_zip_bomb_with_its_size(tmp_path: Path) -> None:
    path = tmp_path / "reminder.docx"
    path.write_bytes(zip_bomb(60))
    out = io.StringIO()
    assert lint_file(path, out) == 1
    assert "unpacks to 60." in out.getvalue() and "at most 50.0 MB" in out.getvalue()


def test_lint_file_refuses_a_macro_enabled_file_by_its_name(tmp_path: Path) -> None:
    path = tmp_path / "reminder.docm"
    path.write_bytes(reminder_docx())
    out = io.StringIO()
    assert lint_file(path, out) == 1
    assert "macro-enabled" in out.getvalue()
