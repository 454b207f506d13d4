"""SQL pieces the reports share that differ per database: the days between two dates."""

from typing import Any

from sqlalchemy import Integer
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement


class days_between(FunctionElement[int]):  # noqa: N801 (used like a SQL function)
    """`later - earlier` in whole days: date subtraction on PostgreSQL, julianday on SQLite."""

    type = Integer()
    inherit_cache = True
    name = "days_between"


@compiles(days_between)
def _postgresql(element: days_between, compiler: Any, **kw: Any) -> str:
    earlier, later = list(element.clauses)
    return f"(CAST({compiler.process(later, **kw)} AS DATE) - CAST({compiler.process(earlier, **kw)} AS DATE))"


@compiles(days_between, "sqlite")
def _sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    earlier, later = list(element.clauses)
    return (f"CAST(julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)})"
            " AS INTEGER)")
