"""The vocabulary as data: sample context covers it, defaults fill optional fields."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from letter_templates.vocabulary import (
    AMOUNT,
    DATE,
    GROUP,
    IMAGE,
    LIST,
    Placeholder,
    dotted_paths,
    placeholders_for,
    sample_context,
    with_defaults,
)


def _check(placeholder: Placeholder, value, path: str) -> None:
    if placeholder.optional and value is None:
        return
    if placeholder.type == GROUP:
        for field in placeholder.fields:
            if field.type == IMAGE:
                continue  # made by the renderer, never in a context
            assert field.name in value, f"sample context lacks {path}.{field.name}"
            _check(field, value[field.name], f"{path}.{field.name}")
    elif placeholder.type == LIST:
        assert value, f"sample {path} is empty"
        for item in value:
            for field in placeholder.fields:
                _check(field, item[field.name], f"{path}.{field.name}")
    elif placeholder.type == AMOUNT:
        assert isinstance(value, Decimal), path
    elif placeholder.type == DATE:
        assert isinstance(value, date), path


def test_sample_context_has_every_declared_placeholder_with_its_type() -> None:
    context = sample_context()
    for placeholder in placeholders_for(None):
        assert placeholder.name in context
        _check(placeholder, context[placeholder.name], placeholder.name)


def test_sample_total_is_the_sum_of_open_amounts() -> None:
    context = sample_context()
    assert context["total_open"] == sum(i["open_amount"] for i in context["invoices"])


def test_every_placeholder_is_described() -> None:
    def walk(placeholders):
        for p in placeholders:
            assert p.description and p.type, p.name
            walk(p.fields)
    walk(placeholders_for(None))
    assert "debtor.contact_name" in dotted_paths(placeholders_for(None))


def test_with_defaults_fills_missing_optional_fields_only() -> None:
    context = {"debtor": {"name": "X"}, "payment": {"iban": "NL91ABNA0417164300", "reference": "R"}}
    filled = with_defaults(context)
    assert filled["debtor"]["address"] is None and filled["payment"]["link"] is None
    assert "name" in filled["debtor"] and "reference" in filled["payment"]
    assert "address" not in context["debtor"]  # the caller's dict is not changed
