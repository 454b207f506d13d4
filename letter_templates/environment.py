"""The sandboxed Jinja environments letters are rendered in: no code, no internals, no undefined names, and capped
loops, values, output and time (render_limits), so a template cannot take the worker down."""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from letter_templates.filters import filters_for
from letter_templates.guarded_code import LOOP_GUARD, GuardedCodeGenerator, guard_loops
from letter_templates.render_limits import active_budget, render_budget
from letter_templates.value_growth import check_binop, check_filter, check_str_method

# Characters XML 1.0 forbids; they do turn up in text scraped from invoice PDFs and would corrupt the docx.
# This also drops \a and \f, which docxtpl would turn into new paragraphs; \n (line break) and \t stay.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _finalize(value: Any) -> Any:
    # An empty optional placeholder shows as nothing rather than the word "None".
    if value is None:
        return ""
    if isinstance(value, str) and not hasattr(value, "__html__"):
        return _XML_ILLEGAL.sub("", value)
    return value


class LetterTemplate(Template):
    """A template whose render counts the text it streams out and shares the letter's budget (render_letter)."""

    def render(self, *args: Any, **kwargs: Any) -> str:
        ctx = self.new_context(dict(*args, **kwargs))
        with render_budget(reuse=True) as budget:
            try:
                return self.environment.concat(budget.streamed(self.root_render_func(ctx)))  # type: ignore
            except Exception:
                self.environment.handle_exception()
        raise AssertionError("handle_exception always raises")  # pragma: no cover


def _counted(iterable: Iterable[Any]) -> Iterator[Any]:
    return active_budget().counted(iterable)


def _capped_range(*args: int) -> range:
    return active_budget().range(*args)


def _sized_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(func)  # keeps jinja_pass_arg, so context-taking filters still get their context
    def checked(*args: Any, **kwargs: Any) -> Any:
        budget = active_budget()
        check_filter(budget, name, args, kwargs)
        return budget.sized(func(*args, **kwargs))
    return checked


class LetterEnvironment(ImmutableSandboxedEnvironment):
    """Immutable sandbox (templates cannot even append to a list) that also caps what a render may cost."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    code_generator_class = GuardedCodeGenerator
    template_class = LetterTemplate
    _COMPILED_LIMIT = 256

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, Any] = {}
        # Only range() is a documented global (usage.ALLOWED_GLOBALS); lipsum(n=10**6) and friends have no place
        # in a letter, and range is capped.
        self.globals.clear()
        self.globals["range"] = _capped_range
        self.filters[LOOP_GUARD] = _counted

    def add_filters(self, filters: dict[str, Callable[..., Any]]) -> None:
        """Install filters, each wrapped so its arguments and its result are checked against the caps."""
        for name, func in {**self.filters, **filters}.items():
            if name != LOOP_GUARD:
                self.filters[name] = _sized_filter(name, func)

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

    def _generate(self, source: nodes.Template, name, filename, defer_init=False):  # type: ignore[override]
        return super()._generate(guard_loops(source), name, filename, defer_init)

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        budget = active_budget()
        budget.check_time()
        target = getattr(__obj, "__wrapped__", __obj)  # str.format arrives wrapped by the sandbox
        owner = getattr(target, "__self__", None)
        if isinstance(owner, str):
            check_str_method(budget, owner, getattr(target, "__name__", ""), args, kwargs)
        return budget.sized(super().call(__context, __obj, *args, **kwargs))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        budget = active_budget()
        check_binop(budget, operator, left, right)
        return budget.sized(super().call_binop(context, operator, left, right))

    def produced(self, text: str) -> str:
        """Called by the compiled template for each piece of output (GuardedCodeGenerator)."""
        return active_budget().produced(text)

    def sized(self, value: Any) -> Any:
        """Called by the compiled template for each `~` join (GuardedCodeGenerator)."""
        return active_budget().sized(value)


@lru_cache(maxsize=8)
def make_environment(language: str, xml: bool = True) -> LetterEnvironment:
    """The environment for document XML (autoescaped, values become XML text) or for plain text (the subject)."""
    env = LetterEnvironment(undefined=StrictUndefined, autoescape=xml, finalize=_finalize)
    env.add_filters(filters_for(language))
    return env
