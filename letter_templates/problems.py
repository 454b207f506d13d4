"""What is wrong with a letter template, said so a staff member can fix it in Word."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateProblem:
    """One problem in a template: what (code), which placeholder or tag, where, and a clerk-readable message.

    `code` is one of: ``not_a_docx``, ``syntax_error``, ``unknown_placeholder``, ``unknown_filter``,
    ``unsafe``, ``missing_required``, ``empty_subject``, ``render_error``, ``unsupported_language``;
    ``too_costly`` (the render exceeded a loop, size, memory or time limit) and, from the package check before
    anything is opened, ``too_large``, ``unpacks_too_large``, ``too_many_parts``, ``macros``, ``embedded_object``,
    ``external_link``, ``xml_entities``.
    """

    code: str
    message: str
    placeholder: str | None = None
    location: str | None = None
    suggestion: str | None = None

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        return f"{where}{self.message}"


class TemplateError(Exception):
    """A template cannot be rendered; `problems` lists every reason found."""

    def __init__(self, problems: list[TemplateProblem]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems) or "template error")
