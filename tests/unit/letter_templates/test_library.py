"""Built-in templates: present for every name and language, and identical to what the build script makes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from letter_templates import build_builtin
from letter_templates.library import (
    BUILTIN_DIR,
    LANGUAGES,
    TONES,
    builtin_names,
    builtin_path,
    builtin_template,
    builtin_tones,
)

LADDER = ("courtesy", "reminder", "firm_reminder", "last_reminder")


def test_names_cover_the_contract_and_every_letter_the_ladders_name() -> None:
    assert {"courtesy", "reminder", "firm_reminder", "last_reminder", "invoice_problem"} <= set(builtin_names())
    assert {"arrival_check", "fourteen_day_letter", "final_notice", "payment_plan_confirmation",
            "instalment_reminder", "invoice_copy", "thank_you", "business_notice"} <= set(builtin_names())


@pytest.mark.parametrize("name", LADDER)
def test_ladder_letters_have_their_own_wording_in_every_tone(name: str) -> None:
    assert builtin_tones(name) == TONES
    for language in ("nl", "en"):
        files = {builtin_template(name, language, tone) for tone in TONES}
        assert len(files) == 3, f"{name}.{language}: tones must differ"
        assert builtin_template(name, language, "formal") == builtin_template(name, language)
    for language in ("fr", "de"):  # formal only so far: the other tones fall back to it
        assert {builtin_template(name, language, tone) for tone in TONES} == {builtin_template(name, language)}


def test_a_tone_a_letter_lacks_falls_back_to_the_default_tone() -> None:
    assert builtin_tones("thank_you") == ("formal",)
    assert builtin_path("thank_you", "nl", "informal").name == "thank_you.nl.docx"
    assert builtin_path("reminder", "en", "plain").name == "reminder.plain.en.docx"
    with pytest.raises(ValueError, match="formal, informal, plain"):
        builtin_template("reminder", "nl", "friendly")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", builtin_names())
def test_each_builtin_is_a_small_docx(name: str, language: str) -> None:
    data = builtin_template(name, language)
    assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None
    assert len(data) < 30_000  # slim: it is opened and saved for every letter


def test_unknown_name_or_language_says_what_exists() -> None:
    with pytest.raises(ValueError, match="courtesy"):
        builtin_template("aanmaning", "nl")
    with pytest.raises(ValueError, match="nl, en, fr, de"):
        builtin_template("reminder", "sv")


def test_committed_files_are_what_the_build_script_makes(tmp_path: Path) -> None:
    for path in build_builtin.main(tmp_path):
        assert path.read_bytes() == (BUILTIN_DIR / path.name).read_bytes(), (
            f"{path.name} is stale: run python -m letter_templates.build_builtin and commit")
