"""Walk a parsed template and check every placeholder, filter and attribute against the vocabulary."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from jinja2 import nodes

from letter_templates.vocabulary import DATE, DUTCH_WORDS, GROUP, LIST, OPTIONAL_DATE, Placeholder, dotted_paths

# Attributes that lead from a value to Python's machinery; the sandbox blocks them too, but staff deserve a
# clear refusal at upload time rather than a failed letter later.
UNSAFE_ATTRIBUTES = frozenset({
    "mro", "subclasses", "base", "bases", "globals", "builtins", "format", "format_map", "func_globals",
    "func_code", "func_closure", "f_globals", "f_locals", "f_builtins", "f_code", "f_back", "gi_frame",
    "gi_code", "gi_yieldfrom", "cr_frame", "cr_code", "ag_frame", "ag_code", "tb_frame", "tb_next",
    "co_code", "im_func", "im_self", "self", "init", "modules", "environment", "eval_ctx",
})
ALLOWED_GLOBALS = frozenset({"range"})
DATE_PARTS = frozenset({"year", "month", "day"})
SAME_LIST_FILTERS = frozenset({"sort", "reverse", "list", "unique", "select", "reject", "selectattr", "rejectattr",
                               "default", "d"})
ITEM_FILTERS = frozenset({"first", "last", "random", "min", "max"})
# Filters whose attribute argument names a field of the list's items.
ATTRIBUTE_FILTERS = frozenset({"sort", "sum", "map", "groupby", "selectattr", "rejectattr", "unique", "min", "max"})


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    lineno: int
    placeholder: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True)
class Ref:
    """What an expression is: its vocabulary entry (None: not checkable), vocabulary path, and how it was written."""

    spec: Placeholder | None
    path: str | None
    written: str
    reported: bool = False  # already wrong; do not report its attributes again


ANY = Ref(None, None, "")


def unsafe(attr: str) -> bool:
    return attr.startswith("_") or attr in UNSAFE_ATTRIBUTES


def suggest(written: str, candidates: Iterable[str]) -> str | None:
    """Closest candidate to `written`, after translating Dutch words staff may have typed."""
    candidates = list(candidates)
    translated = ".".join(DUTCH_WORDS.get(part.lower(), part) for part in written.split("."))
    if translated != written and translated in candidates:
        return translated
    matches = difflib.get_close_matches(translated, candidates, n=1, cutoff=0.6)
    return matches[0] if matches else None


def dotted(node: nodes.Node) -> str:
    """`debtor.name`, `invoices[0].number`: the expression as staff wrote it, for messages."""
    if isinstance(node, nodes.Name):
        return node.name
    if isinstance(node, nodes.Getattr):
        return f"{dotted(node.node)}.{node.attr}"
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const):
        return f"{dotted(node.node)}[{node.arg.value!r}]"
    if isinstance(node, nodes.Const):
        return repr(node.value)
    return "…"


def item_of(ref: Ref) -> Ref:
    if ref.spec is not None and ref.spec.type == LIST:
        spec = Placeholder(ref.spec.name, GROUP, f"one of {ref.spec.name}", ref.spec.fields)
        return Ref(spec, ref.path, ref.written)
    return ANY


@dataclass
class UsageChecker:
    placeholders: tuple[Placeholder, ...]
    filters: frozenset[str]
    tests: frozenset[str]
    used: set[str] = field(default_factory=set)
    findings: list[Finding] = field(default_factory=list)

    def check(self, template: nodes.Template) -> None:
        self.visit_all(template.body, {})

    # statements -------------------------------------------------------------------------------------

    def visit_all(self, body: Iterable[nodes.Node], scope: dict[str, Ref]) -> None:
        for node in body:
            self.visit(node, scope)

    def visit(self, node: nodes.Node, scope: dict[str, Ref]) -> None:
        if isinstance(node, nodes.For):
            items = item_of(self.expr(node.iter, scope))
            inner = dict(scope, loop=ANY)
            self.bind(node.target, items, inner)
            if node.test is not None:
                self.expr(node.test, inner)
            self.visit_all(node.body, inner)
            self.visit_all(node.else_, scope)
        elif isinstance(node, nodes.Assign):
            value = self.expr(node.node, scope)
            self.bind(node.target, value, scope)
        elif isinstance(node, nodes.AssignBlock):
            self.visit_all(node.body, scope)
            self.bind(node.target, ANY, scope)
        elif isinstance(node, nodes.With):
            inner = dict(scope)
            for target, bound in zip(node.targets, node.values, strict=False):
                self.bind(target, self.expr(bound, scope), inner)
            self.visit_all(node.body, inner)
        elif isinstance(node, nodes.Macro | nodes.CallBlock):
            inner = dict(scope, caller=ANY, varargs=ANY, kwargs=ANY)
            for arg in node.args:
                inner[arg.name] = ANY
            for default in node.defaults:
                self.expr(default, scope)
            if isinstance(node, nodes.Macro):
                scope[node.name] = ANY
            else:
                self.expr(node.call, scope)
            self.visit_all(node.body, inner)
        elif isinstance(node, nodes.Expr):
            self.expr(node, scope)
        else:
            for child in node.iter_child_nodes():
                self.visit(child, scope)

    def bind(self, target: nodes.Node, value: Ref, scope: dict[str, Ref]) -> None:
        if isinstance(target, nodes.Name):
            scope[target.name] = Ref(value.spec, value.path, target.name)
            return
        for name in target.find_all(nodes.Name):  # tuple unpacking: not typed further
            scope[name.name] = ANY

    # expressions ------------------------------------------------------------------------------------

    def report(self, node: nodes.Node, code: str, message: str, placeholder: str | None = None,
               suggestion: str | None = None) -> Ref:
        self.findings.append(Finding(code, message, node.lineno, placeholder, suggestion))
        return Ref(None, None, placeholder or "", reported=True)

    def expr(self, node: nodes.Node, scope: dict[str, Ref], full: str | None = None) -> Ref:
        # `full` is the whole chain (debiteur.naam) an unknown name stands at the head of, for suggestions.
        if isinstance(node, nodes.Name):
            return self.name(node, scope, full)
        if isinstance(node, nodes.Getattr):
            return self.attribute(node, self.expr(node.node, scope, full or dotted(node)), node.attr)
        if isinstance(node, nodes.Getitem):
            base = self.expr(node.node, scope, full or dotted(node))
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
                return self.attribute(node, base, node.arg.value)
            if isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, int):
                return item_of(base)
            self.expr(node.arg, scope)
            return ANY
        if isinstance(node, nodes.Filter):
            return self.filter(node, scope)
        if isinstance(node, nodes.Test):
            if node.name not in self.tests:
                self.report(node, "unknown_filter", f"unknown test `is {node.name}`", node.name,
                            suggest(node.name, self.tests))
            self.arguments(node, scope)
            if node.node is not None:
                self.expr(node.node, scope)
            return ANY
        for child in node.iter_child_nodes():
            if isinstance(child, nodes.Expr):
                self.expr(child, scope)
            else:
                self.visit(child, scope)
        return ANY

    def name(self, node: nodes.Name, scope: dict[str, Ref], full: str | None = None) -> Ref:
        if node.name in scope:
            return scope[node.name]
        top = {p.name: p for p in self.placeholders}
        if node.name in top:
            self.used.add(node.name)
            return Ref(top[node.name], node.name, node.name)
        if node.name in ALLOWED_GLOBALS:
            return ANY
        if unsafe(node.name):
            return self.report(node, "unsafe", f"refused: `{node.name}` reaches Python internals", node.name)
        candidates = dotted_paths(self.placeholders) + list(scope)
        written = full if full and "…" not in full and "[" not in full else node.name
        hint = suggest(written, candidates) or suggest(node.name, candidates)
        return self.report(node, "unknown_placeholder", f"unknown placeholder {{{{ {written} }}}}", written, hint)

    def attribute(self, node: nodes.Node, base: Ref, attr: str) -> Ref:
        written = f"{base.written}.{attr}"
        if unsafe(attr):
            return self.report(node, "unsafe", f"refused: `{dotted(node)}` tries to reach Python internals",
                               dotted(node))
        if base.reported or base.spec is None:
            return Ref(None, None, written, base.reported)
        spec = base.spec
        if spec.type == GROUP:
            found = spec.field(attr)
            if found is not None:
                path = f"{base.path}.{attr}"
                self.used.add(path)
                return Ref(found, path, written)
            hint = suggest(attr, [f.name for f in spec.fields])
            return self.report(node, "unknown_placeholder", f"unknown placeholder {{{{ {written} }}}}", written,
                               f"{base.written}.{hint}" if hint else None)
        if spec.type == LIST:
            return self.report(node, "unknown_placeholder",
                               f"{{{{ {written} }}}}: {base.written} is a list; loop over it, e.g. "
                               f"{{%tr for item in {base.written} %}} … {{{{ item.{attr} }}}}", written)
        if spec.type in (DATE, OPTIONAL_DATE) and attr in DATE_PARTS:
            return ANY
        return self.report(node, "unknown_placeholder",
                           f"{{{{ {written} }}}}: {base.written} is a {spec.type} and has no field `{attr}` "
                           "(use a filter such as |upper instead of a method)", written)

    def arguments(self, node: nodes.Filter | nodes.Test | nodes.Call, scope: dict[str, Ref]) -> None:
        for arg in node.args:
            self.expr(arg, scope)
        for kwarg in node.kwargs:
            self.expr(kwarg.value, scope)
        for dyn in (node.dyn_args, node.dyn_kwargs):
            if dyn is not None:
                self.expr(dyn, scope)

    def filter(self, node: nodes.Filter, scope: dict[str, Ref]) -> Ref:
        base = self.expr(node.node, scope) if node.node is not None else ANY
        self.arguments(node, scope)
        if node.name not in self.filters:
            return self.report(node, "unknown_filter", f"unknown filter |{node.name}", node.name,
                               suggest(node.name, self.filters))
        constants = [a.value for a in node.args if isinstance(a, nodes.Const) and isinstance(a.value, str)]
        constants += [k.value.value for k in node.kwargs
                      if k.key == "attribute" and isinstance(k.value, nodes.Const) and isinstance(k.value.value, str)]
        if node.name == "attr" or any(unsafe(c.split(".")[0]) for c in constants if node.name in ATTRIBUTE_FILTERS):
            return self.report(node, "unsafe", f"refused: |{node.name}({', '.join(map(repr, constants))}) "
                               "may reach Python internals; write the placeholder itself", node.name)
        if node.name in ATTRIBUTE_FILTERS and base.spec is not None and base.spec.type == LIST:
            item = item_of(base)
            attribute = next((k.value.value for k in node.kwargs if k.key == "attribute"
                              and isinstance(k.value, nodes.Const)), None)
            if attribute is None and node.name in ("selectattr", "rejectattr", "groupby") and constants:
                attribute = constants[0]
            if isinstance(attribute, str):
                self.attribute(node, Ref(item.spec, item.path, f"{base.written}[]"), attribute)
        if node.name in SAME_LIST_FILTERS:
            return base
        if node.name in ITEM_FILTERS:
            return item_of(base)
        return ANY
