"""The invoice list's sort orders; by due date, invoices without one come last (NULLs sort differently per database)."""

from enum import StrEnum
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session

from worker.api.pagination import Page, after
from worker.db.models import Invoice


class InvoiceSort(StrEnum):
    ID = "id"
    DUE_DATE = "due_date"


def _key(row: Any) -> tuple[Any, ...]:
    return (row.due_date, row.id)


def invoices_by_due_date(session: Session, query: Select, key: tuple[Any, ...] | None, limit: int) -> Page:
    """Dated invoices by (due date, id), then undated ones by id: two index range scans, the same on both databases.

    A cursor whose due date is null is already among the undated ones.
    """
    rows: list[Any] = []
    if key is None or key[0] is not None:
        dated = after(query.where(Invoice.due_date.is_not(None)), [Invoice.due_date, Invoice.id], key)
        rows = list(session.execute(dated.limit(limit + 1)).all())
    if len(rows) <= limit:
        undated_after = (key[1],) if key is not None and key[0] is None else None
        undated = after(query.where(Invoice.due_date.is_(None)), [Invoice.id], undated_after)
        rows += session.execute(undated.limit(limit + 1 - len(rows))).all()
    if len(rows) <= limit:
        return Page(rows, None)
    return Page(rows[:limit], _key(rows[limit - 1]))
