"""Typed errors rendered as RFC 9457 problem details by one set of handlers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from clinic_shared.logging import get_logger
from clinic_shared.openapi import PROBLEM_JSON, document_operations
from clinic_shared.secretbox import SecretBoxError

log = get_logger(__name__)


class ClinicError(Exception):
    """Base of every domain error; `status` decides the HTTP answer."""

    status: int = 400
    title: str = "Bad request"
    type: str = "about:blank"

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        title: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        if title:
            self.title = title
        self.extra = extra

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": self.type,
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
        }
        if instance:
            body["instance"] = instance
        if self.errors:
            body["errors"] = self.errors
        body.update(self.extra)
        return body


class BadRequest(ClinicError):
    status, title = 400, "Bad request"


class Unauthorized(ClinicError):
    status, title = 401, "Not authenticated"


class Forbidden(ClinicError):
    status, title = 403, "Forbidden"


class NotFound(ClinicError):
    status, title = 404, "Not found"


class Conflict(ClinicError):
    status, title = 409, "Conflict"


class PayloadTooLarge(ClinicError):
    status, title = 413, "Payload too large"


class UnsupportedMediaType(ClinicError):
    status, title = 415, "Unsupported media type"


class ValidationFailed(ClinicError):
    status, title = 422, "Validation failed"

    @classmethod
    def field(cls, field: str, message: str) -> ValidationFailed:
        return cls(f"{field}: {message}", errors=[{"field": field, "message": message}])


class TooManyRequests(ClinicError):
    status, title = 429, "Too many requests"


class ServiceUnavailable(ClinicError):
    status, title = 503, "Service unavailable"


def problem_response(body: dict[str, Any], headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body, status_code=body["status"], media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    return ".".join(parts) or "body"


def validation_errors(exc: RequestValidationError) -> list[dict[str, str]]:
    """Pydantic/FastAPI errors as `[{field, message}]`, never echoing the input value."""
    result = []
    for error in exc.errors():
        message = str(error.get("msg", "invalid value"))
        if error.get("type") == "json_invalid":
            result.append({"field": "body", "message": "request body is not valid JSON"})
            continue
        result.append({"field": _field_name(error.get("loc", ())), "message": message})
    return result


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": "RFC 9457 problem details; `errors` names each rejected field.",
    "type": "object",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def document_problem_responses(document: dict[str, Any]) -> dict[str, Any]:
    """Make the OpenAPI document tell the truth about errors.

    FastAPI declares 422 as its own `HTTPValidationError` JSON, but the handlers below answer
    every error as problem details. Each operation's 422 becomes a `Problem`, and a `default`
    response says that any other error status is one too (so clients and fuzzers can rely on it).
    """
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = PROBLEM_SCHEMA
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if "422" in responses:
                responses["422"] = {"description": "Validation failed", "content": _PROBLEM_CONTENT}
            responses.setdefault("default", {"description": "Problem details", "content": _PROBLEM_CONTENT})
    return document


def install_error_handlers(app: FastAPI) -> None:
    """Render every error as problem details; unexpected ones as a 500 without internals."""
    generate_openapi = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = document_operations(document_problem_responses(generate_openapi()), app.routes)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(ClinicError)
    async def _clinic_error(request: Request, exc: ClinicError) -> JSONResponse:
        headers = {"Retry-After": str(exc.extra.pop("retry_after"))} if "retry_after" in exc.extra else None
        return problem_response(exc.to_problem(request.url.path), headers)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = validation_errors(exc)
        fields = ", ".join(sorted({e["field"] for e in errors}))
        body = ValidationFailed(f"Invalid input: {fields}", errors=errors).to_problem(request.url.path)
        return problem_response(body)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {
            "type": "about:blank",
            "title": _http_title(exc.status_code),
            "status": exc.status_code,
            "detail": exc.detail if isinstance(exc.detail, str) else _http_title(exc.status_code),
            "instance": request.url.path,
        }
        return problem_response(body, dict(exc.headers) if exc.headers else None)

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeoutError)
    async def _database_down(request: Request, exc: Exception) -> JSONResponse:
        log.warning("db.unavailable", error=type(exc).__name__, path=request.url.path)
        return problem_response(
            ServiceUnavailable("The database is not reachable; try again shortly.").to_problem(request.url.path),
            {"Retry-After": "1"},
        )

    @app.exception_handler(SecretBoxError)
    async def _secrets_unreadable(request: Request, exc: SecretBoxError) -> JSONResponse:
        # Stored credentials that the configured key cannot open: an operator's problem (a key
        # dropped from CLINIC_SECRETS_KEY too early), not the caller's, and not a bug.
        log.error("secrets.unreadable", path=request.url.path, reason=str(exc))
        return problem_response(
            ServiceUnavailable(
                "Stored credentials cannot be read with the configured secrets key; "
                "an administrator must restore the key (see docs/operations.md)."
            ).to_problem(request.url.path)
        )

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return await _database_down(request, exc)
        log.exception("db.error", path=request.url.path)
        return problem_response(_internal(request))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        body, headers = unexpected_problem(exc, request.url.path)
        return problem_response(body, headers)


def unexpected_problem(exc: Exception, path: str) -> tuple[dict[str, Any], dict[str, str] | None]:
    """The answer to an exception no handler expected: 503 when the database went away, else a
    500 without internals (logged with its traceback)."""
    if _is_connection_error(exc):
        log.warning("db.unavailable", error=type(exc).__name__, path=path)
        return ServiceUnavailable("The database is not reachable; try again shortly.").to_problem(path), {
            "Retry-After": "1"
        }
    log.error("request.failed", path=path, error=type(exc).__name__, exc_info=exc)
    return _internal_problem(path), None


def _is_connection_error(exc: Exception) -> bool:
    return isinstance(exc, ConnectionError | OSError) or type(exc).__name__ in {
        "ConnectionDoesNotExistError",
        "InterfaceError",
        "CannotConnectNowError",
        "AdminShutdownError",
    }


def _internal(request: Request) -> dict[str, Any]:
    return _internal_problem(request.url.path)


def _internal_problem(path: str) -> dict[str, Any]:
    return {
        "type": "about:blank",
        "title": "Internal server error",
        "status": 500,
        "detail": "An unexpected error occurred; it has been logged.",
        "instance": path,
    }


_TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Forbidden",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Payload too large",
    415: "Unsupported media type",
    422: "Validation failed",
    429: "Too many requests",
    502: "Bad gateway",
    503: "Service unavailable",
    504: "Gateway timeout",
}


def _http_title(status: int) -> str:
    return _TITLES.get(status, "Error")
