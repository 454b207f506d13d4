"""Every bad input is a 4xx: ids beyond their column, values that overflow their column (see errors.py for the body)."""

import logging
import re

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError

from worker.api.errors import ApiError, error_response

log = logging.getLogger(__name__)

# Our ids are PostgreSQL `integer` columns (SQLite takes 64 bits, but the API promises the same on both).
MAX_ID = 2**31 - 1
_NUMBER = re.compile(r"-?\d+")


def ids_in_range(request: Request) -> None:
    """A path id outside 1..2^31-1 names nothing (404); such a query id is a bad request (422)."""
    for where, values, status in (("path", request.path_params, 404), ("query", request.query_params, 422)):
        for name, value in values.items():
            if (name == "id" or name.endswith("_id")) and isinstance(value, str) and _NUMBER.fullmatch(value):
                if not 1 <= int(value) <= MAX_ID:
                    what = name.removesuffix("_id").replace("_", " ") or "item"
                    detail = f"no {what} {value[:30]}" if status == 404 else \
                        f"{name} must be between 1 and {MAX_ID} ({where} parameter)"
                    raise ApiError(status, detail, field=name if status == 422 else None)


async def _out_of_range(request: Request, exc: Exception) -> JSONResponse:
    # Only input reaches the database unchecked this far (a number or text its column cannot hold): 422, and a
    # log line in case a check belongs in the schema.
    log.warning("%s %s: a value did not fit its column: %s", request.method, request.url.path,
                type(exc).__name__)
    return error_response(422, "a value is too large or too long for its field; shorten it or give a smaller number")


def answer_invalid_input(app: FastAPI) -> None:
    """Install the checks on `app`; call before the routers are included (the id check is a router dependency)."""
    app.router.dependencies.append(Depends(ids_in_range))
    app.add_exception_handler(DataError, _out_of_range)
    app.add_exception_handler(OverflowError, _out_of_range)
