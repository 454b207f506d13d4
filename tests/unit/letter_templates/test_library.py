"""Built-in templates: present for every name and language, and identical to what the build script makes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from letter_templates import build_builtin
from letter_templates.library import BUILTIN_DIR, LANGUAGES, builtin_names, builtin_template


def test_names_match_the_contract() -> None:
    assert set(builtin_names()) == {"courtesy", "reminder", "firm_reminder", "last_reminder", "invoice_problem"}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", builtin_names())
def test_each_builtin_is_a_small_docx(name: str, language: str) -> None:
    data = builtin_template(name, language)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert len(data) < 30_000  # slim: it is opened and saved for every letter


def test_unknown_name_or_language_says_what_exists() -> None:
    with pytest.raises(ValueError, match="courtesy"):
        builtin_template("aanmaning", "nl")
    with pytest.raises(ValueError, match="nl, en"):
        builtin_template("reminder", "de")


def test_committed_files_are_what_the_build_script_makes(tmp_path: Path) -> None:
    for path in build_builtin.main(tmp_path):
        assert path.read_bytes() == (BUILTIN_DIR / path.name).read_bytes(), (
            f"{path.name} is stale: run python -m letter_templates.build_builtin and commit")
