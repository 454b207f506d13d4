"""The sandboxed Jinja environments letters are rendered in: no code, no internals, no undefined names."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from letter_templates.filters import filters_for

# Characters XML 1.0 forbids; they do turn up in text scraped from invoice PDFs and would corrupt the docx.
# This also drops \a and \f, which docxtpl would turn into new paragraphs; \n (line break) and \t stay.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_MAX_REPEAT = 10_000


def _finalize(value: Any) -> Any:
    # An empty optional placeholder shows as nothing rather than the word "None".
    if value is None:
        return ""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return _XML_ILLEGAL.sub("", value)
    return value


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """Immutable sandbox (templates cannot even append to a list) that also refuses huge `*` and `**`."""

    intercepted_binops = frozenset(["*", "**"])
    _COMPILED_LIMIT = 256

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        # Compiling a letter's XML costs more than rendering it; the same template renders many letters.
        if globals is not None or template_class is not None or not isinstance(source, str):
            return super().from_string(source, globals, template_class)
        template = self._compiled.get(source)
        if template is None:
            if len(self._compiled) >= self._COMPILED_LIMIT:
                self._compiled.clear()
            template = self._compiled[source] = super().from_string(source)
        return template

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        # A staff template must not be able to exhaust the worker's memory or CPU.
        if operator == "**" and isinstance(right, int) and abs(right) > 100:
            raise SecurityError("exponent too large in template")
        if operator == "*" and isinstance(left, str | list | tuple) and isinstance(right, int):
            if len(left) * right > _MAX_REPEAT:
                raise SecurityError("repetition too large in template")
        if operator == "*" and isinstance(right, str | list | tuple) and isinstance(left, int):
            if len(right) * left > _MAX_REPEAT:
                raise SecurityError("repetition too large in template")
        return super().call_binop(context, operator, left, right)


@lru_cache(maxsize=8)
def make_environment(language: str, xml: bool = True) -> LetterEnvironment:
    """The environment for document XML (autoescaped, values become XML text) or for plain text (the subject)."""
    env = LetterEnvironment(undefined=StrictUndefined, autoescape=xml, finalize=_finalize)
    env.filters.update(filters_for(language))
    return env
