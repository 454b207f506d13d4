"""Everything that refuses a staff upload before it goes live: the package, the lint, and a trial render."""

from __future__ import annotations

from letter_templates.isolated_render import render_isolated
from letter_templates.lint import lint_template
from letter_templates.package_check import check_package
from letter_templates.problems import TemplateProblem
from letter_templates.vocabulary import sample_context


def check_upload(data: bytes, name: str | None, language: str, filename: str | None = None) -> list[TemplateProblem]:
    """Why `data` may not become the `name` letter in `language`; empty when it may.

    In order, each step only when the one before found nothing: the zip package (size, zip bombs, macros,
    external links, DTDs) before anything parses it; the lint under the letter's name; then the sample letter
    rendered in a child process under a hard deadline and memory cap. A template that passes the lint can still
    fail here, e.g. `{% for i in range(100000000) %}`, which once went live and broke every letter after it.
    """
    problems = check_package(data, filename) or lint_template(data, name)
    if problems:
        return problems
    return render_isolated(data, sample_context(name), language).problems
