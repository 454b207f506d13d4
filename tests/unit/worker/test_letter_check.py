"""The upload check renders a template with the tick's contexts: what lint cannot see, it catches."""

from letter_templates.library import LANGUAGES, builtin_names, builtin_template
from letter_templates.lint import lint_template
from tests.unit.letter_templates.docx_factory import reminder_docx
from worker.usecases.letter_check import check_template_for_step


def test_every_built_in_letter_passes_the_check() -> None:
    for name in builtin_names():
        for language in LANGUAGES:
            assert check_template_for_step(builtin_template(name, language), name, language) == [], (name, language)


def test_a_template_that_lints_but_fails_in_the_tick_is_refused() -> None:
    # promise.date is empty unless the debtor promised: its year cannot be read in most letters.
    template = reminder_docx("Beloofd in {{ promise.date.year }}")
    assert lint_template(template, "reminder") == []
    problems = check_template_for_step(template, "reminder", "nl")
    assert problems and "promise.date.year" in problems[0].location
    assert "in a letter to a company under Dutch law" in problems[0].message
