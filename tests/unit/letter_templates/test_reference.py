"""docs/placeholders.md is generated from the vocabulary and must be regenerated when it changes."""

from __future__ import annotations

from letter_templates.reference import PAGE, render_reference
from letter_templates.vocabulary import Placeholder, placeholders_for


def test_committed_reference_page_is_current() -> None:
    assert PAGE.read_text(encoding="utf-8") == render_reference(), (
        "docs/placeholders.md is stale: run python -m letter_templates.reference and commit it")


def test_reference_lists_every_placeholder_and_every_tone() -> None:
    page = render_reference()

    def check(placeholders: tuple[Placeholder, ...]) -> None:
        for p in placeholders:
            assert f"| {p.description} |" in page, p.name
            check(p.fields)

    check(placeholders_for(None))
    assert "| `plan.instalments[].amount` | amount |" in page
    assert "| reminder | formal, informal, plain |" in page
    assert "`costs.amount`" in page
