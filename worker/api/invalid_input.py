"""Answer every invalid request body with 422, even when the bad value (1e400, NaN) has no JSON spelling."""

import math
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse


def _finite(value: Any) -> Any:
    """The errors echo the input; `inf` and `nan` would make the JSON answer itself fail (a 500)."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse(status_code=422, content={"detail": _finite(jsonable_encoder(exc.errors()))})


def answer_invalid_input(app: FastAPI) -> None:
    """Install the handler on `app`."""
    app.add_exception_handler(RequestValidationError, _invalid)
