"""lint_template: what staff get told about a template before it is used."""

from __future__ import annotations

import pytest

from letter_templates.library import builtin_names, builtin_template
from letter_templates.lint import lint_template
from letter_templates.vocabulary import REQUIRED

from .docx_factory import make_docx, reminder_docx


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("name", builtin_names())
def test_builtins_are_clean_under_their_own_name(name: str, language: str) -> None:
    assert lint_template(builtin_template(name, language), name) == []


def test_a_valid_reminder_is_clean() -> None:
    assert lint_template(reminder_docx(), "reminder") == []


def test_unknown_field_names_the_field_and_the_paragraph() -> None:
    [problem] = lint_template(reminder_docx("Uw klantnummer: {{ debtor.customer_number }}"))
    assert problem.code == "unknown_placeholder" and problem.placeholder == "debtor.customer_number"
    assert problem.location == 'paragraph 2 ("Uw klantnummer: {{ debtor.customer_number }}")'
    assert "{{ debtor.customer_number }}" in str(problem)


@pytest.mark.parametrize(("written", "meant"), [
    ("debtor.contact_nam", "debtor.contact_name"),
    ("debtor.adress", "debtor.address"),
    ("totl_open", "total_open"),
    ("debiteur.naam", "debtor.name"),
    ("buisness.name", "business.name"),
])
def test_misspelled_field_gets_a_did_you_mean(written: str, meant: str) -> None:
    [problem] = lint_template(reminder_docx(f"X {{{{ {written} }}}}"))
    assert problem.code == "unknown_placeholder"
    assert problem.suggestion == meant
    assert f"did you mean {{{{ {meant} }}}}?" in problem.message


def test_loop_variable_fields_are_checked_against_the_invoice_fields() -> None:
    [problem] = lint_template(reminder_docx("{% for inv in invoices %}{{ inv.numbr }}{% endfor %}"))
    assert problem.placeholder == "inv.numbr" and problem.suggestion == "inv.number"


def test_a_list_used_as_a_value_says_to_loop_over_it() -> None:
    [problem] = lint_template(reminder_docx("{{ invoices.number }}"))
    assert "invoices is a list" in problem.message and "for" in problem.message


def test_unknown_filter_gets_a_did_you_mean() -> None:
    [problem] = lint_template(reminder_docx("{{ total_open|mony(currency) }}"))
    assert problem.code == "unknown_filter" and problem.suggestion == "money"


@pytest.mark.parametrize("source", ["{% if debtor.name %}open if", "{{ debtor.name }", "{% for x in %}"])
def test_syntax_error_names_the_paragraph(source: str) -> None:
    problems = lint_template(reminder_docx("Eerste alinea", source))
    assert problems and problems[0].code == "syntax_error"
    assert "template syntax error" in problems[0].message
    if source != "{% if debtor.name %}open if":  # an unclosed block is reported where the text ends
        assert source.split()[0] in problems[0].location


@pytest.mark.parametrize("source", [
    "{{ ''.__class__.__mro__ }}",
    "{{ debtor.__dict__ }}",
    "{{ invoices[0].__class__ }}",
    "{{ debtor['__class__'] }}",
    "{{ debtor|attr('__class__') }}",
    "{{ total_open.mro }}",
])
def test_reaching_python_internals_is_refused(source: str) -> None:
    problems = lint_template(reminder_docx(f"Hallo {source}"))
    assert problems[0].code == "unsafe", problems
    assert "refused" in problems[0].message
    assert "Hallo" in problems[0].location


def test_required_placeholders_per_letter_name() -> None:
    template = make_docx("Geachte {{ debtor.name }}, betaal {{ payment.iban }}.", title="Herinnering")
    problems = lint_template(template, "reminder")
    missing = {p.placeholder for p in problems if p.code == "missing_required"}
    assert missing == {"invoices.number", "total_open", "payment.reference"}
    assert any("a reminder letter must show {{ total_open }}" in p.message for p in problems)
    # Without a name only the vocabulary is checked.
    assert lint_template(template) == []


def test_fourteen_day_letter_without_the_cost_amount_is_refused() -> None:
    problems = lint_template(reminder_docx(), "fourteen_day_letter")
    assert [p.placeholder for p in problems] == ["costs.amount"]
    with_costs = reminder_docx("Incassokosten: {{ costs.amount|money(currency) }}")
    assert lint_template(with_costs, "fourteen_day_letter") == []


def test_letter_specific_placeholders_are_unknown_to_other_letters() -> None:
    template = reminder_docx("Bestand {{ document.filename }}")
    assert [p.placeholder for p in lint_template(template, "reminder")] == ["document.filename"]
    assert lint_template(template) == []


def test_required_lists_name_only_known_placeholders() -> None:
    from letter_templates.vocabulary import dotted_paths, placeholders_for
    for name, paths in REQUIRED.items():
        assert set(paths) <= set(dotted_paths(placeholders_for(name))), name


def test_placeholder_split_over_three_runs_is_seen_whole() -> None:
    assert lint_template(reminder_docx(["Klant: {{ deb", "tor.na", "me }}"]), "reminder") == []
    [problem] = lint_template(reminder_docx(["Klant: {{ deb", "tor.nme", " }}"]))
    assert problem.placeholder == "debtor.nme" and problem.suggestion == "debtor.name"
    assert "Klant: {{ debtor.nme }}" in problem.location


def test_word_curly_quotes_inside_tags_are_understood() -> None:
    assert lint_template(reminder_docx("{{ debtor.contact_name or “heer, mevrouw” }}")) == []


def test_header_and_title_are_checked_with_their_location() -> None:
    problems = lint_template(make_docx("Brief", header="{{ business.nme }}", title="{{ debtor.nmae }}"))
    locations = [p.location for p in problems]
    assert locations[0].startswith("header paragraph 1") and locations[1].startswith("document title")


def test_empty_title_is_reported_as_missing_subject() -> None:
    [problem] = lint_template(make_docx("Brief", title=""))
    assert problem.code == "empty_subject" and "Title" in problem.message


def test_not_a_docx() -> None:
    [problem] = lint_template(b"PK\x03\x04 broken zip")
    assert problem.code == "not_a_docx"


def test_set_and_loop_helpers_are_allowed() -> None:
    source = ("{% set n = invoices|length %}{{ n }} {% for i in range(2) %}{{ loop.index }}{% endfor %}"
              "{{ invoices|sum(attribute='open_amount')|money(currency) }} {{ letter.date.year }}")
    assert lint_template(reminder_docx(source)) == []
    [problem] = lint_template(reminder_docx("{{ invoices|sum(attribute='open_amout') }}"))
    assert problem.suggestion and problem.suggestion.endswith("open_amount")
