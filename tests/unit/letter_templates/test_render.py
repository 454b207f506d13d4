"""render_letter: built-ins in both languages, escaping, plain text, subject, and refusals with locations."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest
from docx import Document

from letter_templates.filters import money
from letter_templates.library import builtin_names, builtin_template
from letter_templates.problems import TemplateError
from letter_templates.render import render_letter
from letter_templates.vocabulary import sample_context

from .docx_factory import make_docx, reminder_docx

LANGUAGES = ("nl", "en")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", builtin_names())
def test_every_builtin_renders_the_sample_in_both_languages(name: str, language: str) -> None:
    context = sample_context()
    letter = render_letter(builtin_template(name, language), context, language)

    assert letter.subject.strip()
    assert "{{" not in letter.subject and "{%" not in letter.text and "{{" not in letter.text
    assert "None" not in letter.text
    Document(io.BytesIO(letter.docx))  # a valid Word document
    if name == "invoice_problem":
        assert context["document"]["filename"] in letter.text
        assert "no due date or payment term found" in letter.text
    elif name == "business_notice":
        assert context["notice"]["title"] in letter.subject and context["notice"]["action"] in letter.text
    elif name == "instalment_reminder":
        assert "700,00" in letter.text or "700.00" in letter.text
    else:
        for invoice in context["invoices"]:
            assert invoice["number"] in letter.text
    if name not in ("invoice_problem", "business_notice", "thank_you", "instalment_reminder"):
        assert money(context["total_open"], "EUR", language) in letter.text
    if name not in ("invoice_problem", "business_notice", "thank_you"):
        assert "NL91ABNA0417164300" in letter.text
        assert context["payment"]["reference"] in letter.text


def test_dutch_reminder_reads_as_dutch_and_english_as_english() -> None:
    nl = render_letter(builtin_template("reminder", "nl"), sample_context(), "nl")
    en = render_letter(builtin_template("reminder", "en"), sample_context(), "en")
    assert "€ 2.084,56" in nl.text and "26 november 2026" in nl.text and "Geachte Anna de Vries" in nl.text
    assert "€2,084.56" in en.text and "26 November 2026" in en.text and "Dear Anna de Vries" in en.text


def test_one_invoice_is_named_in_the_subject_and_in_the_singular() -> None:
    context = sample_context()
    context["invoices"] = context["invoices"][:1]
    context["total_open"] = Decimal("1234.56")
    letter = render_letter(builtin_template("reminder", "nl"), context, "nl")
    assert letter.subject == "Herinnering: factuur 2026-0142 – Van Dijk Installatietechniek B.V."
    assert "onderstaande factuur nog niet" in letter.text
    assert "facturen" not in letter.text


def test_last_reminder_says_it_goes_to_the_general_address_with_the_contact_in_cc() -> None:
    text = render_letter(builtin_template("last_reminder", "nl"), sample_context("last_reminder"), "nl").text
    assert "algemene adres" in text and "Anna de Vries in kopie" in text and "doorsturen" in text
    assert "10 december 2026" in text and "laatste sommatie" in text
    assert "zonder verdere aankondiging" not in text  # a final notice follows: this letter must not deny it


def test_a_consumer_never_reads_company_wording() -> None:
    context = sample_context("last_reminder")
    context["debtor"]["consumer"], context["letter"]["to_general"], context["letter"]["cc"] = True, False, None
    text = render_letter(builtin_template("last_reminder", "nl"), context, "nl").text
    assert "algemene adres" not in text and "kopie" not in text and "organisatie" not in text
    assert "Geachte Anna de Vries" in text


def test_firm_reminder_to_a_business_names_commercial_interest_and_the_costs() -> None:
    text = render_letter(builtin_template("firm_reminder", "nl"), sample_context(), "nl").text
    assert "wettelijke handelsrente (artikel 6:119a BW)" in text and "nu 10,15% per jaar" in text
    assert "buitengerechtelijke incassokosten (artikel 6:96 BW), € 312,30" in text


def test_text_keeps_the_invoice_table_rows_in_order_with_the_total_aligned() -> None:
    text = render_letter(builtin_template("reminder", "en"), sample_context(), "en").text
    lines = text.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("Invoice number"))
    assert lines[header + 1].startswith("2026-0142") and lines[header + 2].startswith("2026-0157")
    assert lines[header + 3].startswith("Total open")
    assert lines[header + 3].index("€2,084.56") == lines[header + 1].index("€1,234.56")


def test_values_are_escaped_for_xml_but_not_in_the_subject() -> None:
    context = sample_context()
    context["business"]["name"] = "Smit & Zonen <Utrecht>"
    letter = render_letter(builtin_template("reminder", "nl"), context, "nl")
    assert letter.subject.endswith("Smit & Zonen <Utrecht>")
    assert "Smit & Zonen <Utrecht>" in letter.text
    assert "Bouwbedrijf Jansen & Zn. B.V." in letter.text


def test_characters_xml_forbids_are_dropped_instead_of_corrupting_the_letter() -> None:
    context = sample_context()
    context["debtor"]["name"] = "Jansen\x00\x07 Bouw\x0c"
    letter = render_letter(builtin_template("reminder", "nl"), context, "nl")
    assert "Jansen Bouw" in letter.text
    Document(io.BytesIO(letter.docx))


def test_optional_placeholders_may_be_missing_or_empty() -> None:
    context = sample_context()
    del context["debtor"]["address"]
    context["payment"]["link"] = None
    context["debtor"]["contact_name"] = None
    context["letter"]["deadline"] = None
    letter = render_letter(builtin_template("reminder", "nl"), context, "nl")
    assert "Geachte heer, mevrouw," in letter.text
    assert "binnen zeven dagen" in letter.text
    assert "online betalen" not in letter.text and "t.a.v." not in letter.text and "None" not in letter.text


def test_placeholder_split_over_three_runs_still_renders() -> None:
    template = reminder_docx(["Klant: {{ deb", "tor.na", "me }}."])
    letter = render_letter(template, sample_context(), "nl")
    assert "Klant: Bouwbedrijf Jansen & Zn. B.V.." in letter.text
    assert letter.subject == "Herinnering 2026-0142"


def test_unknown_placeholder_is_refused_before_rendering_with_its_paragraph() -> None:
    template = reminder_docx("Uw adres: {{ debtor.adress }}")
    with pytest.raises(TemplateError) as caught:
        render_letter(template, sample_context(), "nl")
    [problem] = caught.value.problems
    assert problem.code == "unknown_placeholder"
    assert problem.placeholder == "debtor.adress" and problem.suggestion == "debtor.address"
    assert "Uw adres: {{ debtor.adress }}" in problem.location and "paragraph 2" in problem.location


@pytest.mark.parametrize("expression", [
    "{{ ''.__class__.__mro__ }}",
    "{{ debtor.name.__class__ }}",
    "{{ debtor|attr('__class__') }}",
    "{{ cycler.__init__.__globals__ }}",
])
def test_reaching_python_internals_is_refused(expression: str) -> None:
    with pytest.raises(TemplateError) as caught:
        render_letter(reminder_docx(f"Hallo {expression}"), sample_context(), "nl")
    assert caught.value.problems[0].code in ("unsafe", "unknown_placeholder")
    assert "Hallo" in caught.value.problems[0].location


def test_the_sandbox_itself_refuses_internals_even_when_the_static_check_is_bypassed(monkeypatch) -> None:
    monkeypatch.setattr("letter_templates.render.static_problems", lambda template: [])
    with pytest.raises(TemplateError) as caught:
        render_letter(reminder_docx("X {{ ''.__class__.__mro__ }}"), sample_context(), "nl")
    [problem] = caught.value.problems
    assert problem.code == "unsafe" and "__class__" in problem.message
    assert 'paragraph 2 ("X {{' in problem.location


def test_huge_repetition_is_refused() -> None:
    with pytest.raises(TemplateError) as caught:
        render_letter(reminder_docx("{{ 'x' * 100000000 }}"), sample_context(), "nl")
    assert caught.value.problems[0].code == "too_costly"


def test_missing_context_value_names_the_placeholder_and_paragraph() -> None:
    context = sample_context()
    del context["payment"]
    with pytest.raises(TemplateError) as caught:
        render_letter(reminder_docx(), context, "nl")
    [problem] = caught.value.problems
    assert problem.code == "unknown_placeholder" and problem.placeholder == "payment"
    assert "Totaal" in problem.location


def test_a_filter_failure_names_the_paragraph() -> None:
    context = sample_context()
    context["total_open"] = None
    with pytest.raises(TemplateError) as caught:
        render_letter(reminder_docx(), context, "nl")
    [problem] = caught.value.problems
    assert problem.code == "render_error" and "amount is empty" in problem.message
    assert "Totaal {{ total_open|money(currency) }}" in problem.location


def test_syntax_error_in_the_title_is_located_in_the_title() -> None:
    with pytest.raises(TemplateError) as caught:
        render_letter(make_docx("Hallo", title="Herinnering {{ debtor.name "), sample_context(), "nl")
    [problem] = caught.value.problems
    assert problem.code == "syntax_error" and problem.location.startswith("document title")


def test_a_letter_without_subject_is_refused() -> None:
    with pytest.raises(TemplateError) as caught:
        render_letter(make_docx("Hallo {{ debtor.name }}", title="{{ debtor.contact_name or '' }}"),
                      {**sample_context(), "debtor": {**sample_context()["debtor"], "contact_name": None}}, "nl")
    assert caught.value.problems[0].code == "empty_subject"


def test_unsupported_language_and_non_docx_bytes_are_template_errors() -> None:
    with pytest.raises(TemplateError) as caught:
        render_letter(builtin_template("reminder", "nl"), sample_context(), "sv")
    assert caught.value.problems[0].code == "unsupported_language"
    with pytest.raises(TemplateError) as caught:
        render_letter(b"%PDF-1.7 not a docx", sample_context(), "nl")
    assert caught.value.problems[0].code == "not_a_docx"


def test_header_placeholders_render_and_errors_there_say_header() -> None:
    letter = render_letter(make_docx("Brief", header="{{ business.name }}"), sample_context(), "nl")
    assert letter.text.startswith("Van Dijk Installatietechniek B.V.")
    with pytest.raises(TemplateError) as caught:
        render_letter(make_docx("Brief", header="{{ business.nam }}"), sample_context(), "nl")
    assert caught.value.problems[0].location.startswith("header paragraph")


def test_dates_from_datetimes_render_as_dates() -> None:
    context = sample_context()
    context["letter"]["date"] = date(2027, 1, 31)
    letter = render_letter(builtin_template("reminder", "en"), context, "en")
    assert "31 January 2027" in letter.text
