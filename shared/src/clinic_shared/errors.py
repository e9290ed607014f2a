"""Typed errors rendered as RFC 9457 problem details by one set of handlers."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

import clinic_shared.messages_ru  # noqa: F401  (registers the shared texts' Russian)
from clinic_shared.logging import get_logger
from clinic_shared.openapi import PROBLEM_JSON, document_operations
from clinic_shared.problems import (
    PROBLEM_NAMESPACE,
    generic,
    language_var,
    localise,
    public_prefix_var,
    reset_request_language,
    set_request_language,
)
from clinic_shared.secretbox import SecretBoxError

log = get_logger(__name__)


class ClinicError(Exception):
    """Base of every domain error; `status` decides the HTTP answer, `code` the problem type
    (`/problems/<code>`, clinic_shared.problems): the class's, or one given when raised
    (`Conflict("…", code="slot-taken")`, registered with `register_problem_types`)."""

    status: int = 400
    title: str = "Bad request"
    code: str = ""

    def __init__(
        self,
        detail: str | None = None,
        *,
        errors: list[dict[str, str]] | None = None,
        title: str | None = None,
        code: str | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.errors = errors
        if title:
            self.title = title
        if code:
            self.code = code
        self.extra = extra

    def to_problem(self, instance: str | None = None) -> dict[str, Any]:
        code = self.code or generic(self.status).code
        body: dict[str, Any] = {
            "type": f"{PROBLEM_NAMESPACE}{code}",
            "code": code,
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
    def field(cls, field: str, message: str, error_code: str = "invalid") -> ValidationFailed:
        """One rejected field, named in the detail too (both translated for the client);
        `error_code` is the field error's code (`errors[].code`), not the problem's."""
        return cls(f"{field}: {message}", errors=[{"field": field, "code": error_code, "message": message}])


class TooManyRequests(ClinicError):
    status, title = 429, "Too many requests"


class ServiceUnavailable(ClinicError):
    status, title = 503, "Service unavailable"


def problem_response(
    body: dict[str, Any], headers: dict[str, str] | None = None, request: Request | None = None
) -> JSONResponse:
    """Every error answer goes out here: with its code, public instance and texts in the
    client's language (clinic_shared.problems.localise): the request's, when given, else the
    one the request context middleware took from it."""
    if request is not None:
        tokens = set_request_language(
            request.headers.get("accept-language"), public_prefix_var.get() or request.headers.get("x-forwarded-prefix")
        )
        try:
            return problem_response(body, headers)
        finally:
            reset_request_language(tokens)
    localised = localise(body)
    headers = {**(headers or {}), "Content-Language": language_var.get(), "Vary": "Accept-Language"}
    return JSONResponse(localised, status_code=localised["status"], media_type=PROBLEM_JSON, headers=headers)


def _field_name(loc: tuple[Any, ...] | list[Any]) -> str:
    parts = [str(p) for p in loc]
    if parts and parts[0] in ("body", "query", "path", "header", "cookie", "form"):
        parts = parts[1:]
    return ".".join(parts) or "body"


_LIMITS = ("min_length", "max_length", "ge", "gt", "le", "lt", "expected")


def validation_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    """Pydantic/FastAPI errors as `[{field, code, message}]`, never echoing the input value
    (`ctx` keeps the limit a message names, for its translation; it is not sent)."""
    result: list[dict[str, Any]] = []
    for error in exc.errors():
        message = str(error.get("msg", "invalid value"))
        code = str(error.get("type", "invalid"))
        if code == "json_invalid":
            result.append({"field": "body", "code": code, "message": "request body is not valid JSON"})
            continue
        entry: dict[str, Any] = {"field": _field_name(error.get("loc", ())), "code": code, "message": message}
        context = {key: str(value) for key, value in (error.get("ctx") or {}).items() if key in _LIMITS}
        if context:
            entry["ctx"] = context
        result.append(entry)
    return result


PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "description": (
        "RFC 9457 problem details. `code` (and `type`, `/problems/<code>`) is stable for programs; "
        "`title`, `detail` and each field's `message` are in the language of Accept-Language "
        "(Russian unless English is preferred). Table of codes: docs/api.md."
    ),
    "type": "object",
    "required": ["type", "code", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "examples": ["/problems/validation-failed"]},
        "code": {"type": "string", "examples": ["validation-failed"]},
        "title": {"type": "string", "examples": ["Ошибка в данных"]},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string"},
        "instance": {
            "type": "string",
            "description": "the public path of the request",
            "examples": ["/api/patients/cards"],
        },
        "errors": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "properties": {
                    "field": {"type": "string", "examples": ["last_name"]},
                    "code": {"type": "string", "examples": ["missing"]},
                    "message": {"type": "string", "examples": ["обязательное поле"]},
                },
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

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to replace the schema generator

    @app.exception_handler(ClinicError)
    async def _clinic_error(request: Request, exc: ClinicError) -> JSONResponse:
        headers = {"Retry-After": str(exc.extra.pop("retry_after"))} if "retry_after" in exc.extra else None
        return problem_response(exc.to_problem(request.url.path), headers, request)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = validation_errors(exc)
        fields = ", ".join(sorted({e["field"] for e in errors}))
        body = ValidationFailed(f"Invalid input: {fields}", errors=errors).to_problem(request.url.path)
        return problem_response(body, request=request)

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {
            "title": _http_title(exc.status_code),
            "status": exc.status_code,
            "detail": exc.detail if isinstance(exc.detail, str) else _http_title(exc.status_code),
            "instance": request.url.path,
        }
        return problem_response(body, dict(exc.headers) if exc.headers else None, request)

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeoutError)
    async def _database_down(request: Request, exc: Exception) -> JSONResponse:
        log.warning("db.unavailable", error=type(exc).__name__, path=request.url.path)
        return problem_response(
            ServiceUnavailable("The database is not reachable; try again shortly.").to_problem(request.url.path),
            {"Retry-After": "1"},
            request,
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
            ).to_problem(request.url.path),
            request=request,
        )

    @app.exception_handler(DBAPIError)
    async def _database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if exc.connection_invalidated:
            return await _database_down(request, exc)
        log.exception("db.error", path=request.url.path)
        return problem_response(_internal(request), request=request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        body, headers = unexpected_problem(exc, request.url.path)
        return problem_response(body, headers, request)


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
