"""Keyset pagination for every list endpoint: `limit`, an opaque `cursor`, the next page in `Link` and `X-Next-Cursor`.

A page is `WHERE (sort key, id) > (the cursor's) ORDER BY sort key, id LIMIT limit + 1`, never OFFSET: page 1000
costs what page 1 costs, and a row added meanwhile neither repeats nor hides a row on the next page. The body of
each endpoint keeps its shape (a JSON array stays an array), so clients that read one page keep working; the way
on is in the headers, absent on the last page.
"""

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import HTTPException, Query, Request, Response
from sqlalchemy import Select, literal, tuple_
from sqlalchemy.orm import QueryableAttribute, Session
from sqlalchemy.sql.elements import ColumnElement

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000

Limit = Annotated[int, Query(
    ge=1, le=MAX_LIMIT, description=f"Items per page, 1 to {MAX_LIMIT} (default {DEFAULT_LIMIT}); outside that "
    "range the request is refused (422).", openapi_examples={"default": {"value": DEFAULT_LIMIT},
                                                             "large": {"value": 500}})]
Cursor = Annotated[str | None, Query(
    max_length=500, description="Where the page starts: the `X-Next-Cursor` header (or the `cursor` of the "
    "`Link: rel=\"next\"` URL) of the page before. Opaque; leave it out for the first page. A cursor that was not "
    "handed out by this list is refused (422).",
    openapi_examples={"next page": {"summary": "from the X-Next-Cursor header of the page before",
                                    "value": "eyJsIjoiaW52b2ljZXM6aWQiLCJrIjpbMTAwXX0"}})]

# Documented on every paginated route: the body is the page, the headers lead on.
PAGE_HEADERS: dict[int | str, dict[str, Any]] = {200: {"headers": {
    "Link": {"description": "`<...?cursor=...&limit=...>; rel=\"next\"`: the next page, with the same filters "
             "(RFC 8288, a URL relative to this one). Absent on the last page.",
             "schema": {"type": "string"},
             "example": "</invoices?status=open&limit=100&cursor=eyJsIjoiaW52b2ljZXM6aWQiLCJrIjpbMTAwXX0>; "
                        "rel=\"next\""},
    "X-Next-Cursor": {"description": "The `cursor` of the next page. Absent on the last page.",
                      "schema": {"type": "string"}, "example": "eyJsIjoiaW52b2ljZXM6aWQiLCJrIjpbMTAwXX0"}}},
    422: {"description": "`limit` outside 1..1000, or a `cursor` this list did not hand out."}}


class BadCursor(ValueError):
    """The cursor was not made by this list (edited, truncated, or from another endpoint or sort order)."""


def encode(list_name: str, key: Sequence[Any]) -> str:
    """The opaque cursor: the list's name and the last row's sort key, as URL-safe base64 of JSON."""
    values = [v.isoformat() if isinstance(v, date) else v for v in key]
    raw = json.dumps({"l": list_name, "k": values}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(list_name: str, cursor: str, kinds: Sequence[type]) -> tuple[Any, ...]:
    """The sort key in `cursor`, each part read as its kind (int, str, date, datetime, or None for a null)."""
    try:
        raw = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if not isinstance(raw, dict) or raw.get("l") != list_name:
            raise BadCursor(cursor)
        values = raw["k"]
        if not isinstance(values, list) or len(values) != len(kinds):
            raise BadCursor(cursor)
        return tuple(_read(kind, value) for kind, value in zip(kinds, values, strict=True))
    except (binascii.Error, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        raise HTTPException(422, "the cursor is not one this list handed out (it is copied from the X-Next-Cursor "
                                 "header or the Link URL of the page before, unchanged, with the same sort); leave "
                                 "it out to start at the first page") from exc


def _read(kind: type, value: Any) -> Any:
    if value is None:
        return None
    if kind is int and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind is str and isinstance(value, str):
        return value
    if kind is datetime and isinstance(value, str):
        moment = datetime.fromisoformat(value)
        if moment.tzinfo is None:
            raise BadCursor(value)
        return moment
    if kind is date and isinstance(value, str):
        return date.fromisoformat(value)
    raise BadCursor(str(value))


@dataclass(frozen=True)
class Page:
    """The rows of one page, and the sort key to continue after (None: this was the last page)."""

    rows: list[Any]
    next_key: tuple[Any, ...] | None


def after(query: Select, columns: Sequence[ColumnElement[Any] | QueryableAttribute[Any]], key: tuple[Any, ...] | None,
          descending: bool = False) -> Select:
    """`query` past `key` in the order of `columns` (ascending, or all descending), in that order."""
    if key is not None:
        # Bound with the columns' own types, so SQLite compares timestamps in the form it stores them.
        values = [literal(v, type_=c.type) for c, v in zip(columns, key, strict=True)]
        position = tuple_(*columns) if len(columns) > 1 else columns[0]
        bound = tuple_(*values) if len(columns) > 1 else values[0]
        query = query.where(position < bound if descending else position > bound)
    return query.order_by(*(c.desc() for c in columns) if descending else columns)


def fetch(session: Session, query: Select, limit: int, key_of: Any, scalars: bool = True) -> Page:
    """Run an ordered `query` for one page (one row more than `limit`, to know whether another page follows)."""
    result = session.scalars(query.limit(limit + 1)) if scalars else session.execute(query.limit(limit + 1))
    rows = list(result.all())
    if len(rows) <= limit:
        return Page(rows, None)
    return Page(rows[:limit], key_of(rows[limit - 1]))


def paged(request: Request, body: bytes, list_name: str, next_key: Sequence[Any] | None, limit: int) -> Response:
    """A page already serialised (by the response model's own serializer, so the JSON is the same), with its
    headers: FastAPI would otherwise validate every item a second time on the way out."""
    response = Response(body, media_type="application/json")
    lead_on(request, response, list_name, next_key, limit)
    return response


def lead_on(request: Request, response: Response, list_name: str, next_key: Sequence[Any] | None,
            limit: int) -> str | None:
    """Put the next page's `Link` and `X-Next-Cursor` on the response; returns the cursor (None on the last page)."""
    if next_key is None:
        return None
    cursor = encode(list_name, next_key)
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in ("cursor", "limit")]
    params += [("limit", str(limit)), ("cursor", cursor)]
    # Relative to this URL (RFC 8288 allows it): right behind any proxy, whatever host the client called.
    response.headers["Link"] = f"<{request.url.path}?{urlencode(params)}>; rel=\"next\""
    response.headers["X-Next-Cursor"] = cursor
    return cursor

