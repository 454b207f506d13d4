"""One error body for every 4xx/5xx: `{"error": code, "message": what to do, "field": dotted field or null}`.

Installed centrally (handlers and the OpenAPI responses), so every route, including those added later, answers
and documents its refusals the same way.
"""

import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)

# Codes by status; a route may name its own (ApiError) where one status covers several refusals.
CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
         406: "not_acceptable", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
         422: "invalid_input", 429: "too_many_requests", 500: "internal_error", 503: "unavailable"}


class ErrorOut(BaseModel):
    """The body of every error answer."""

    error: str = Field(description="A stable code: not_found, conflict, invalid_input, unauthorized, ...")
    message: str = Field(description="What went wrong and what to do about it, for a person.")
    field: str | None = Field(description="The input field at fault (dotted, e.g. `instalments.0.amount`), if any.")


class ApiError(HTTPException):
    """An HTTPException that also names its field (and, if the status's code is too coarse, its own code)."""

    def __init__(self, status_code: int, message: str, *, field: str | None = None, code: str | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(status_code, message, headers=headers)
        self.field, self.code = field, code


def code_for(status: int) -> str:
    if status in CODES:
        return CODES[status]
    try:
        return HTTPStatus(status).phrase.lower().replace(" ", "_").replace("-", "_")
    except ValueError:
        return "error"


def error_body(status_code: int, message: str, field: str | None = None, code: str | None = None,
               **extra: Any) -> dict[str, Any]:
    return {"error": code or code_for(status_code), "message": message, "field": field, **extra}


def error_response(status_code: int, message: str, field: str | None = None, *, code: str | None = None,
                   headers: dict[str, str] | None = None, **extra: Any) -> JSONResponse:
    return JSONResponse(status_code=status_code, content=error_body(status_code, message, field, code, **extra),
                        headers=headers)


_DEFAULT_MESSAGES = {
    404: "no such address in this API; see /docs for the routes",
    405: "this method is not allowed here; see /docs for the methods this route takes",
}


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail: Any = exc.detail
    extra: dict[str, Any] = {}
    if isinstance(detail, dict):  # a route that gives more than a sentence (e.g. a template's problems)
        extra = {k: v for k, v in detail.items() if k not in ("error", "message", "field")}
        message = str(detail.get("message") or code_for(exc.status_code).replace("_", " "))
    else:
        message = str(detail)
    if message in ("Not Found", "Method Not Allowed") or not message:
        message = _DEFAULT_MESSAGES.get(exc.status_code, message or code_for(exc.status_code).replace("_", " "))
    field = getattr(exc, "field", None) or (detail.get("field") if isinstance(detail, dict) else None)
    return error_response(exc.status_code, message, field, code=getattr(exc, "code", None),
                          headers=getattr(exc, "headers", None), **extra)


def first_field(loc: tuple[Any, ...] | list[Any]) -> str | None:
    """`("body", "instalments", 0, "amount")` -> `instalments.0.amount`; the body itself -> None."""
    parts = [str(p) for p in loc[1:]] if loc and loc[0] in ("body", "query", "path", "header", "cookie") else \
        [str(p) for p in loc]
    return ".".join(parts) or None


def validation_message(error: dict[str, Any]) -> tuple[str | None, str]:
    """The first failing field and a sentence naming it."""
    field = first_field(error.get("loc") or ())
    where = (error.get("loc") or ("body",))[0]
    text = str(error.get("msg") or "is not valid")
    if error.get("type") == "missing":
        return field, f"{field or where} is required ({where})"
    if field is None:
        return None, f"the request {where} is not valid: {text}"
    return field, f"{field} ({where}): {text}"


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = list(exc.errors())
    field, message = validation_message(errors[0]) if errors else (None, "the request is not valid")
    if len(errors) > 1:
        message += f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})"
    return error_response(422, message, field)


async def _internal(request: Request, exc: Exception) -> JSONResponse:
    # Logged with its traceback here; the client gets no internals, only what to do.
    log.error("%s %s failed", request.method, request.url.path, exc_info=exc)
    return error_response(500, "the service failed on this request; it was logged. Try again later, and tell the "
                          "service operator if it keeps failing")


def answer_errors(app: FastAPI) -> None:
    """Install the handlers that give every error the one shape, and document it on every operation."""
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _invalid)
    app.add_exception_handler(Exception, _internal)
    app.openapi = _openapi_with_errors(app)  # type: ignore[method-assign]


_DOCUMENTED = {
    400: ("bad_request", "the request body could not be read as JSON", None),
    401: ("unauthorized", "missing X-API-Key header", None),
    404: ("not_found", "no invoice 17", None),
    409: ("conflict", "message 12 is no longer waiting for review (it is processed); nothing was changed", None),
    422: ("invalid_input", "amount (body): Input should be greater than 0", "amount"),
}


def _openapi_with_errors(app: FastAPI) -> Callable[[], dict[str, Any]]:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes,
                             servers=app.servers)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components["Error"] = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
        for path in schema.get("paths", {}).values():
            for operation in path.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                for status, (code, message, field) in _DOCUMENTED.items():
                    documented = responses.setdefault(str(status), {"description": HTTPStatus(status).phrase})
                    # a route's own example sentence is kept (it is more telling than the generic one)
                    own = documented.get("content", {}).get("application/json", {}).get("example", {})
                    message = own.get("detail") or own.get("message") or message
                    documented["content"] = {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Error"},
                        "example": {"error": code, "message": message, "field": field if not own else None}}}
                for status, answer in responses.items():  # other errors a route documents have the shape too
                    if status[:1] in ("4", "5") and int(status) not in _DOCUMENTED:
                        answer["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
        for unused in ("HTTPValidationError", "ValidationError"):
            components.pop(unused, None)
        app.openapi_schema = schema
        return schema
    return openapi
