"""The built-in letter templates shipped with the service, one .docx per letter name, tone and language.

Files are named `NAME.LANGUAGE.docx` for the default tone (formal: "u", "Dear …") and
`NAME.TONE.LANGUAGE.docx` for the other tones (`informal`: "je", first names; `plain`: plain language,
short sentences at reading level B1). Asking for a tone a letter does not have gives its default-tone file,
so every letter exists in every tone.
"""

from __future__ import annotations

from pathlib import Path

# Beside this module, not importlib.resources: the editable install exposes the package as a namespace.
BUILTIN_DIR = Path(__file__).parent / "builtin"

LANGUAGES = ("nl", "en", "fr", "de")  # French worded for Belgium; informal and plain tones exist in nl and en
TONES = ("formal", "informal", "plain")
DEFAULT_TONE = "formal"
_NAMES = (
    "courtesy", "reminder", "firm_reminder", "last_reminder", "invoice_problem",
    "arrival_check", "fourteen_day_letter", "final_notice", "payment_plan_confirmation", "instalment_reminder",
    "invoice_copy", "thank_you", "business_notice", "promise_broken", "agreement_confirmation",
)


def builtin_names() -> tuple[str, ...]:
    return _NAMES


def builtin_path(name: str, language: str, tone: str | None = None) -> Path:
    """The file that serves `name` in `language` and `tone`: the tone's own file, else the default tone's."""
    if name not in _NAMES:
        raise ValueError(f"no built-in letter {name!r}; there are: {', '.join(_NAMES)}")
    if language not in LANGUAGES:
        raise ValueError(f"no built-in letters in {language!r}; there are: {', '.join(LANGUAGES)}")
    if tone is not None and tone not in TONES:
        raise ValueError(f"no tone {tone!r}; there are: {', '.join(TONES)}")
    if tone not in (None, DEFAULT_TONE):
        toned = BUILTIN_DIR / f"{name}.{tone}.{language}.docx"
        if toned.exists():
            return toned
    return BUILTIN_DIR / f"{name}.{language}.docx"


def builtin_tones(name: str) -> tuple[str, ...]:
    """Tones `name` has its own wording for (the default tone always)."""
    return (DEFAULT_TONE,) + tuple(t for t in TONES[1:] if (BUILTIN_DIR / f"{name}.{t}.nl.docx").exists())


def builtin_template(name: str, language: str, tone: str | None = None) -> bytes:
    """The built-in template `name` in `language` (and `tone`); ValueError names what exists when asked for
    what does not."""
    return builtin_path(name, language, tone).read_bytes()
