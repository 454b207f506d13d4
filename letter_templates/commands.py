"""Plain functions behind `dunning letter lint` and `dunning letter render`, for the worker's CLI to call."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import TextIO

from letter_templates.library import LANGUAGES
from letter_templates.pdf import PdfConverter
from letter_templates.render import render_letter
from letter_templates.upload_check import check_upload
from letter_templates.vocabulary import sample_context


def _name_from(path: Path) -> str | None:
    # reminder.nl.docx → "reminder": a staff file named after its letter also gets that letter's checks.
    return path.name.split(".")[0] or None


def _language_from(path: Path) -> str:
    # reminder.en.docx → "en"; without a language in the name, Dutch, as the service's default.
    return next((part for part in path.name.split(".")[1:-1] if part in LANGUAGES), "nl")


def lint_file(path: str | Path, out: TextIO | None = None) -> int:
    """Print one line per problem in the template at `path`; 0 when it is valid, 1 otherwise.

    The same checks as an upload: the package, the lint, and the sample letter rendered under the limits.
    """
    out = out or sys.stdout
    path = Path(path)
    problems = check_upload(path.read_bytes(), _name_from(path), _language_from(path), path.name)
    for problem in problems:
        print(f"{path.name}: {problem}", file=out)
    return 1 if problems else 0


def render_sample(path: str | Path, out_path: str | Path, language: str = "nl") -> None:
    """Render the template at `path` with the built-in sample data to OUT.docx or OUT.pdf.

    Raises TemplateError (with problems) or, for PDF, PdfUnavailable / PdfConversionError.
    """
    out_path = Path(out_path)
    letter = render_letter(Path(path).read_bytes(), sample_context(), language)
    if out_path.suffix.lower() == ".pdf":
        with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
            out_path.write_bytes(PdfConverter(profile).convert(letter.docx))
    elif out_path.suffix.lower() == ".docx":
        out_path.write_bytes(letter.docx)
    else:
        raise ValueError(f"{out_path.name}: choose an output ending in .pdf or .docx")
