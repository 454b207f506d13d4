"""render_isolated and check_upload: the trial render in a child process, killed at its deadline, capped in memory."""

from __future__ import annotations

import pytest

from letter_templates.isolated_render import render_isolated
from letter_templates.library import builtin_template
from letter_templates.lint import lint_template
from letter_templates.render_limits import RenderLimits
from letter_templates.upload_check import check_upload
from letter_templates.vocabulary import sample_context

from .docx_factory import reminder_docx
from .test_render_limits import SLOW

MiB = 1024 * 1024
RANGE_BOMB = "{% for i in range(100000000) %}{{ i }}{% endfor %}"


@pytest.fixture(scope="module")
def baseline_rss() -> int:
    """The child's peak resident memory for a normal letter."""
    normal = render_isolated(builtin_template("reminder", "nl"), sample_context(), "nl")
    assert normal.problems == [] and normal.letter is not None and "facturen" in normal.letter.subject
    assert normal.peak_rss_bytes is not None and normal.peak_rss_bytes < 400 * MiB
    return normal.peak_rss_bytes


@pytest.mark.parametrize(("paragraph", "said"), [
    (RANGE_BOMB, "range(100000000)"),
    ("{{ 'x' * 1000000000 }}", "too large"),
    ("{% for a in range(1000) %}{% for b in range(1000) %}{% for c in range(1000) %}{% endfor %}{% endfor %}"
     "{% endfor %}", "times in total"),
])
def test_hostile_templates_are_refused_in_the_child_without_growing_it(paragraph: str, said: str,
                                                                       baseline_rss: int) -> None:
    outcome = render_isolated(reminder_docx(paragraph), sample_context(), "nl")
    [problem] = outcome.problems
    assert problem.code == "too_costly" and said in problem.message
    assert outcome.peak_rss_bytes is not None and outcome.peak_rss_bytes < baseline_rss + 64 * MiB


def test_a_step_that_needs_too_much_memory_is_stopped_by_the_memory_cap(baseline_rss: int) -> None:
    # join() over a generator is not sized in advance: 10,000 pieces x 90,000 characters = 900 MB at once.
    outcome = render_isolated(reminder_docx("{{ range(10000)|map('string')|join('x' * 90000) }}"), sample_context(),
                              "nl", memory=256 * MiB)
    [problem] = outcome.problems
    assert problem.code == "too_costly" and "memory" in problem.message
    assert outcome.peak_rss_bytes is not None and outcome.peak_rss_bytes < baseline_rss + 256 * MiB


def test_a_template_that_takes_long_is_killed_at_the_hard_deadline() -> None:
    # In-render checks off (60 s), so only the deadline from outside can stop it.
    outcome = render_isolated(reminder_docx(SLOW), sample_context(), "nl", seconds=1.0,
                              limits=RenderLimits(seconds=60))
    [problem] = outcome.problems
    assert problem.code == "too_costly" and "longer than 1 s" in problem.message
    assert outcome.letter is None and 1.0 <= outcome.seconds < 5


def test_the_upload_check_refuses_what_the_lint_alone_let_go_live() -> None:
    template = reminder_docx(RANGE_BOMB)
    assert lint_template(template, "reminder") == []  # how it once went live
    [problem] = check_upload(template, "reminder", "nl")
    assert problem.code == "too_costly" and "range(100000000)" in problem.message
    assert "paragraph 2" in problem.location


def test_the_upload_check_passes_a_good_letter_and_stops_at_the_first_failing_step() -> None:
    assert check_upload(builtin_template("reminder", "en"), "reminder", "en") == []
    [problem] = check_upload(reminder_docx(), "reminder", "nl", "aanmaning.docm")
    assert problem.code == "macros"


def test_a_dead_helper_is_replaced_on_the_next_trial(baseline_rss: int) -> None:
    from letter_templates import isolated_render

    helper = isolated_render._HELPER
    helper.process.kill()
    helper.process.join()
    outcome = render_isolated(builtin_template("reminder", "nl"), sample_context(), "nl")
    assert outcome.problems == [] and outcome.letter is not None
    assert helper.process.is_alive()
