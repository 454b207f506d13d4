"""What the template safety costs: render limits on a normal letter, the package check, the isolated trial render.

    .venv/bin/python bench/bench_template_sandbox.py [--letters 200] [--trials 10]

Renders the built-in Dutch reminder with the sample data, alternately with the limited environment and with a
plain Jinja ImmutableSandboxedEnvironment carrying the same filters, and prints a markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from jinja2 import StrictUndefined  # noqa: E402
from jinja2.sandbox import ImmutableSandboxedEnvironment  # noqa: E402

import letter_templates.render as render_module  # noqa: E402
from letter_templates.environment import _finalize, make_environment  # noqa: E402
from letter_templates.filters import filters_for  # noqa: E402
from letter_templates.isolated_render import render_isolated  # noqa: E402
from letter_templates.library import builtin_template  # noqa: E402
from letter_templates.package_check import check_package  # noqa: E402
from letter_templates.payment import complete_payment  # noqa: E402
from letter_templates.render import render_letter  # noqa: E402
from letter_templates.source import open_template, source_parts  # noqa: E402
from letter_templates.upload_check import check_upload  # noqa: E402
from letter_templates.vocabulary import sample_context, with_defaults  # noqa: E402


class PlainEnvironment(ImmutableSandboxedEnvironment):
    """The sandbox before the render limits: same compile cache, no caps."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._compiled: dict[str, Any] = {}

    def from_string(self, source, globals=None, template_class=None):  # type: ignore[override]
        template = self._compiled.get(source)
        if template is None:
            template = self._compiled[source] = super().from_string(source)
        return template


def plain_environment(language: str, xml: bool = True) -> ImmutableSandboxedEnvironment:
    env = PlainEnvironment(undefined=StrictUndefined, autoescape=xml, finalize=_finalize)
    env.filters.update(filters_for(language))
    return env


def per_call_ms(n: int, work: Callable[[], object]) -> list[float]:
    times = []
    for _ in range(n):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--letters", type=int, default=200)
    parser.add_argument("--trials", type=int, default=10)
    args = parser.parse_args()
    template, context = builtin_template("reminder", "nl"), sample_context()
    plain = {(lang, xml): plain_environment(lang, xml) for lang in ("nl", "en") for xml in (True, False)}

    def with_limits() -> object:
        render_module.make_environment = make_environment
        return render_letter(template, context, "nl")

    def without_limits() -> object:
        render_module.make_environment = lambda language, xml=True: plain[(language, xml)]
        return render_letter(template, context, "nl")

    for warm in (with_limits, without_limits):
        warm()
    limited, unlimited = [], []
    for _ in range(args.letters // 10):  # interleaved, so machine load hits both alike
        limited += per_call_ms(10, with_limits)
        unlimited += per_call_ms(10, without_limits)
    render_module.make_environment = make_environment

    # The Jinja part alone (no unzip, no docx save), where the limits' hooks run.
    body = source_parts(open_template(template))[0].source
    full = with_defaults(complete_payment(sample_context()))
    limited_env, plain_env = make_environment("nl"), plain[("nl", True)]
    jinja_limited, jinja_plain = [], []
    for _ in range(args.letters // 10):
        jinja_limited += per_call_ms(10, lambda: limited_env.from_string(body).render(full))
        jinja_plain += per_call_ms(10, lambda: plain_env.from_string(body).render(full))

    package = per_call_ms(args.letters, lambda: check_package(template))
    render_isolated(template, context, "nl")  # starts the helper once
    isolated = per_call_ms(args.trials, lambda: render_isolated(template, context, "nl"))
    upload = per_call_ms(args.trials, lambda: check_upload(template, "reminder", "nl"))

    median = statistics.median
    print("| what (built-in Dutch reminder, sample data) | median ms | p90 ms |")
    print("|---|---|---|")
    for label, times in (("Jinja only (body XML), plain sandbox", jinja_plain),
                         ("Jinja only (body XML), with the render limits", jinja_limited),
                         ("whole letter (.docx out), plain sandbox", unlimited),
                         ("whole letter (.docx out), with the render limits", limited),
                         ("package check (zip, XML, relationships)", package),
                         ("trial render in a forked child (helper warm)", isolated),
                         ("whole upload check (package, lint, trial render)", upload)):
        print(f"| {label} | {median(times):.1f} | {statistics.quantiles(times, n=10)[-1]:.1f} |")
    print(f"\nJinja with limits: {(median(jinja_limited) / median(jinja_plain) - 1) * 100:+.0f}%; "
          f"whole letter: {median(limited) - median(unlimited):+.1f} ms per letter "
          f"({(median(limited) / median(unlimited) - 1) * 100:+.0f}%), n={len(limited)} each")


if __name__ == "__main__":
    main()
