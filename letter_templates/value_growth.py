"""Refuse template operations that would build a huge value, before they build it (`'x' * 10**9`, `center(10**9)`).

Every value a template makes is also checked after the fact (RenderBudget.sized); these checks exist for the few
operations that can make a huge value out of small inputs, where checking afterwards would be too late.
"""

from __future__ import annotations

import re
from typing import Any

from letter_templates.render_limits import RenderBudget, RenderLimitExceeded

# printf widths/precisions of seven digits or given by `*`, and str.format specs that nest a field or a huge width.
_WIDE_PRINTF = re.compile(r"%[#0\- +]*(\*|\d{7,})|%[#0\- +]*\d*\.(\*|\d{7,})")
_WIDE_FORMAT = re.compile(r"\{[^{}]*:[^{}]*(\{|\d{7,})")
MAX_EXPONENT = 100  # 10 ** 100 is already more digits than any amount in a letter
MAX_POWER_BITS = 100_000  # the size of an integer a power may make (about 30,000 digits)


def _bits(number: int | float) -> int:
    return number.bit_length() if isinstance(number, int) else 64


def _refuse(what: str) -> RenderLimitExceeded:
    return RenderLimitExceeded(f"{what}; a letter may not build values that large")


def check_format(fmt: Any) -> None:
    """A format string whose widths cannot make a string of millions of spaces."""
    if isinstance(fmt, str) and (_WIDE_PRINTF.search(fmt) or _WIDE_FORMAT.search(fmt)):
        raise _refuse(f"the format {fmt[:40]!r} asks for a huge or variable width")


def check_binop(budget: RenderBudget, operator: str, left: Any, right: Any) -> None:
    limit = budget.limits.max_value_chars
    sequence = (str, list, tuple)
    if operator == "**" and isinstance(right, int) and isinstance(left, int | float):
        if abs(right) > MAX_EXPONENT or (isinstance(left, int) and left.bit_length() * abs(right) > MAX_POWER_BITS):
            raise _refuse(f"a power with exponent {right} of a {_bits(left)}-bit number is too large")
    if operator == "*":
        seq, times = (left, right) if isinstance(left, sequence) else (right, left)
        if isinstance(seq, sequence) and isinstance(times, int) and len(seq) * times > limit:
            raise _refuse(f"repeating a value of length {len(seq):,} {times:,} times is too large")
    if operator == "+" and isinstance(left, sequence) and isinstance(right, sequence):
        if len(left) + len(right) > limit:
            raise _refuse(f"joining values of {len(left):,} and {len(right):,} characters or items is too large")
    if operator == "%":
        check_format(left)


def _int_arg(args: tuple, kwargs: dict, name: str, default: int = 0) -> int:
    value = args[0] if args else kwargs.get(name, default)
    return value if isinstance(value, int) else 0


def check_str_method(budget: RenderBudget, text: str, method: str, args: tuple, kwargs: dict) -> None:
    """`'x'.center(10**9)`, `s.replace('', s)`: refuse before Python allocates the result."""
    limit = budget.limits.max_value_chars
    if method in ("center", "ljust", "rjust", "zfill"):
        size = _int_arg(args, kwargs, "width")
    elif method == "expandtabs":
        size = len(text) + text.count("\t") * _int_arg(args, kwargs, "tabsize", 8)
    elif method == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        old, new = args[0], args[1]
        count = text.count(old) if old else len(text) + 1
        size = len(text) + count * max(len(new) - len(old), 0)
    elif method in ("format", "format_map"):
        check_format(text)
        return
    else:
        return
    if size > limit:
        raise _refuse(f"{method}() would make a string of {size:,} characters")


# Jinja filters that turn a small number into a large value: (name of the argument, which limit caps it).
_FILTER_ARGS = {"center": ("width", "max_value_chars"), "indent": ("width", "max_value_chars"),
                "batch": ("linecount", "max_range"), "slice": ("slices", "max_range")}


def check_filter(budget: RenderBudget, name: str, args: tuple, kwargs: dict) -> None:
    """Arguments of the built-in filters that can blow a value up (`'x'|center(10**9)`, `[1]|batch(10**9, 0)`)."""
    if name == "format" and args:
        check_format(args[0])
        return
    if name not in _FILTER_ARGS:
        return
    arg_name, limit_name = _FILTER_ARGS[name]
    value = args[1] if len(args) > 1 else kwargs.get(arg_name)
    size = value if isinstance(value, int) else 0
    if name == "indent" and args and isinstance(args[0], str):
        size *= args[0].count("\n") + 1
    if size > getattr(budget.limits, limit_name):
        raise _refuse(f"the {name} filter with {arg_name} {value:,} would make too large a value")
