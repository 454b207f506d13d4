"""Compile templates so loops, output and `~` report to the render budget (the sandbox alone does not see them)."""

from __future__ import annotations

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame

# The filter every {% for %} iterates through; registered by the environment, added by guard_loops.
LOOP_GUARD = "_loop_guard"


def guard_loops(template: nodes.Template) -> nodes.Template:
    """Route every loop's iterable through the loop guard, so each pass is counted and the deadline checked."""
    for loop in template.find_all(nodes.For):
        loop.iter = nodes.Filter(loop.iter, LOOP_GUARD, [], [], None, None, lineno=loop.iter.lineno)
    return template


class GuardedCodeGenerator(CodeGenerator):
    """Jinja's generator, with every piece of output and every `~` join checked by the environment."""

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize) -> None:  # type: ignore[no-untyped-def]
        # Output inside {% set %} blocks and macros never reaches Template.render, so it is counted where made.
        self.write("environment.produced(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize) -> None:  # type: ignore[no-untyped-def]
        super()._output_child_post(node, frame, finalize)
        self.write(")")

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # `a ~ a` in a chain of {% set %} doubles a string each time; no sandbox hook sees it.
        self.write("environment.sized(")
        super().visit_Concat(node, frame)
        self.write(")")
