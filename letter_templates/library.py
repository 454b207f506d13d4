"""The built-in letter templates shipped with the service, one .docx per letter name and language."""

from __future__ import annotations

from pathlib import Path

# Beside this module, not importlib.resources: the editable install exposes the package as a namespace.
BUILTIN_DIR = Path(__file__).parent / "builtin"

LANGUAGES = ("nl", "en")
_NAMES = ("courtesy", "reminder", "firm_reminder", "last_reminder", "invoice_problem")


def builtin_names() -> tuple[str, ...]:
    return _NAMES


def builtin_template(name: str, language: str) -> bytes:
    """The built-in template `name` in `language`; ValueError names what exists when asked for what does not."""
    if name not in _NAMES:
        raise ValueError(f"no built-in letter {name!r}; there are: {', '.join(_NAMES)}")
    if language not in LANGUAGES:
        raise ValueError(f"no built-in letters in {language!r}; there are: {', '.join(LANGUAGES)}")
    return (BUILTIN_DIR / f"{name}.{language}.docx").read_bytes()
