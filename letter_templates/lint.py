"""Check a .docx letter template before it is used: a safe package, syntax, placeholders, unsafe access, required
fields."""

from __future__ import annotations

from functools import lru_cache

from jinja2 import TemplateSyntaxError

from letter_templates.environment import make_environment
from letter_templates.package_check import check_package
from letter_templates.problems import TemplateError, TemplateProblem
from letter_templates.source import SourcePart, open_template, source_parts
from letter_templates.usage import UsageChecker
from letter_templates.vocabulary import REQUIRED, placeholders_for


def lint_template(template: bytes, name: str | None = None) -> list[TemplateProblem]:
    """Every problem found in `template`; with a template `name`, also what that letter must show."""
    return list(_lint(template, name))


def static_problems(template: bytes) -> list[TemplateProblem]:
    """The checks render_letter runs first: lint against every declared placeholder, no required fields."""
    return list(_lint(template, None))


def used_placeholders(template: bytes) -> frozenset[str]:
    """Dotted paths the template uses (`payment.qr`, `invoices.number`), so the renderer makes only what is shown."""
    return _checked(template, None)[1]


def _lint(template: bytes, name: str | None) -> tuple[TemplateProblem, ...]:
    return _checked(template, name)[0]


# Templates are few and rendered often; lint each version once.
@lru_cache(maxsize=128)
def _checked(template: bytes, name: str | None) -> tuple[tuple[TemplateProblem, ...], frozenset[str]]:
    # The package is checked before python-docx unzips or parses anything in it.
    unsafe = check_package(template)
    if unsafe:
        return tuple(unsafe), frozenset()
    try:
        parts = source_parts(open_template(template))
    except TemplateError as exc:
        return tuple(exc.problems), frozenset()
    env = make_environment("nl")
    checker = UsageChecker(placeholders_for(name), frozenset(env.filters), frozenset(env.tests))
    problems: list[TemplateProblem] = []
    for part in parts:
        problems += _check_part(part, env, checker)
    title = next(p for p in parts if p.label == "title")
    if not title.source.strip():
        problems.append(TemplateProblem(
            "empty_subject", "no subject: set the document Title (Word: File > Info > Properties > Title), "
            "e.g. Herinnering factuur {{ invoices[0].number }}", location="document title"))
    if name is not None:
        for path in REQUIRED.get(name, ()):
            if path not in checker.used:
                problems.append(TemplateProblem(
                    "missing_required", f"a {name} letter must show {{{{ {_written(path)} }}}} "
                    f"({_description(path, name)}) but the template never uses it", placeholder=path))
    return tuple(problems), frozenset(checker.used)


def _check_part(part: SourcePart, env, checker: UsageChecker) -> list[TemplateProblem]:
    try:
        ast = env.parse(part.source)
    except TemplateSyntaxError as exc:
        return [TemplateProblem("syntax_error", f"template syntax error: {exc.message}",
                                location=part.location(exc.lineno))]
    before = len(checker.findings)
    checker.check(ast)
    return [
        TemplateProblem(f.code, f.message + (f"; did you mean {{{{ {f.suggestion} }}}}?" if f.suggestion else ""),
                        placeholder=f.placeholder, location=part.location(f.lineno), suggestion=f.suggestion)
        for f in checker.findings[before:]
    ]


def _written(path: str) -> str:
    # invoices.number is written inside a loop: {{ invoice.number }} in {%tr for invoice in invoices %}.
    head, _, rest = path.partition(".")
    return f"invoice.{rest}" if head == "invoices" and rest else path


def _description(path: str, name: str) -> str:
    spec = None
    fields = placeholders_for(name)
    for part in path.split("."):
        spec = next((p for p in fields if p.name == part), None)
        if spec is None:
            return path
        fields = spec.fields
    return spec.description if spec else path
