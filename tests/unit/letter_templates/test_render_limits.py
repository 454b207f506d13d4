"""render_letter under limits: loops, value sizes, output and time are capped, in the worker's own process."""

from __future__ import annotations

import time

import pytest

from letter_templates.environment import make_environment
from letter_templates.library import builtin_template
from letter_templates.problems import TemplateError
from letter_templates.render import render_letter
from letter_templates.render_limits import MAX_LOOP_ITERATIONS, MAX_RANGE, RenderLimitExceeded, RenderLimits
from letter_templates.vocabulary import sample_context

from .docx_factory import reminder_docx

SLOW = "{% for i in range(10000) %}{% for j in range(10) %}{{ ('ab' * 300000)|replace('a', 'cd')|length }}" \
       "{% endfor %}{% endfor %}"


def _refusal(paragraph: str, limits: RenderLimits | None = None) -> str:
    started = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        render_letter(reminder_docx(paragraph), sample_context(), "nl", *([limits] if limits else []))
    [problem] = caught.value.problems
    assert problem.code == "too_costly", problem
    assert "paragraph 2" in problem.location
    assert time.perf_counter() - started < 10  # refused, not run to the end
    return problem.message


def test_the_range_that_once_broke_every_letter_is_refused_with_its_size() -> None:
    message = _refusal("{% for i in range(100000000) %}{{ i }}{% endfor %}")
    assert "range(100000000) has 100,000,000 steps" in message and f"at most {MAX_RANGE:,}" in message


def test_a_billion_character_repetition_is_refused_before_it_is_built() -> None:
    assert "1,000,000,000 times is too large" in _refusal("{{ 'x' * 1000000000 }}")


def test_deeply_nested_loops_within_the_range_cap_hit_the_loop_cap() -> None:
    message = _refusal("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}"
                       "{% endfor %}{% endfor %}{% endfor %}")
    assert f"more than {MAX_LOOP_ITERATIONS:,} times in total" in message


@pytest.mark.parametrize(("source", "said"), [
    ("{{ 'x'|center(1000000000) }}", "center filter"),
    ("{{ 'x'.ljust(1000000000) }}", "ljust()"),
    ("{{ ('x' * 100000).replace('x', 'y' * 10000) }}", "replace()"),
    ("{{ '%0999999999d' % 1 }}", "huge or variable width"),
    ("{{ '%s'|format(1)|center(2000000) }}", "center filter"),
    ("{{ [1]|batch(1000000000, 0)|list }}", "batch filter"),
    ("{{ 10 ** 1000 }}", "power"),
    ("{{ ((10 ** 100) ** 100) ** 100 }}", "power"),
    ("{{ ('x' * 600000) + ('x' * 600000) }}", "joining values"),
])
def test_operations_that_blow_a_small_value_up_are_refused(source: str, said: str) -> None:
    assert said in _refusal(source)


@pytest.mark.parametrize("source", ["{{ '{:>1000000000}'.format(1) }}", "{{ '{:>{}}'.format(1, 10 ** 9) }}"])
def test_str_format_widths_are_capped_even_where_the_lint_is_skipped(source: str) -> None:
    # The lint refuses .format outright; the environment must hold on its own (stored templates, the title).
    with pytest.raises(RenderLimitExceeded, match="huge or variable width"):
        make_environment("nl").from_string(source).render()


def test_doubling_a_string_with_tilde_is_stopped_at_the_value_cap() -> None:
    doubling = "{% set s = 'x' * 10000 %}" + "".join("{% set s = s ~ s %}" for _ in range(30)) + "{{ s|length }}"
    assert "value of" in _refusal(doubling)


def test_output_that_never_reaches_the_letter_is_counted_too() -> None:
    hidden = "{% set s %}{% for i in range(10000) %}{{ 'y' * 10000 }}{% endfor %}{% endset %}{{ s|length }}"
    assert "million characters" in _refusal(hidden)


def test_a_slow_template_is_stopped_by_the_deadline_between_steps() -> None:
    message = _refusal(SLOW, RenderLimits(seconds=0.5))
    assert "longer than 0.5 seconds" in message


def test_globals_other_than_range_do_not_exist() -> None:
    with pytest.raises(TemplateError):
        render_letter(reminder_docx("{{ lipsum(1000000) }}"), sample_context(), "nl")


def test_real_letters_stay_well_inside_the_limits() -> None:
    context = sample_context()
    context["invoices"] = context["invoices"] * 250  # a statement of 500 invoices
    letter = render_letter(builtin_template("reminder", "nl"), context, "nl")
    assert letter.text.count("2026-0142") >= 250 and "500 facturen" in letter.subject
