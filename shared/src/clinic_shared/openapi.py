"""How operations are named in the OpenAPI documents, for clients generated from them (#15).

An operation's id is its endpoint function's name (`book_appointment`), or the `operation_id`
a route sets itself (the generic directories do: `list_doctors`). The gateway's merged document
prefixes it with the service (`scheduling_book_appointment`, gateway/openapi.py). FastAPI's
default (`book_appointment_appointments_post`) spells the path into the id, so moving a route
would rename every generated client's method; a function name changes only on purpose, and
tests/contract keeps the list of ids so that a change shows in review.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi.routing import APIRoute, iter_route_contexts

PROBLEM_JSON = "application/problem+json"
"""The media type of every error answer (RFC 9457), clinic_shared.errors."""
SCHEMA_REF = "#/components/schemas/"

MAX_OPERATION_ID = 50
"""The longest id the merged document may carry (`<service>_` included)."""


def operation_id(route: APIRoute) -> str:
    """The operation's id within its service: the endpoint's name (FastAPI's `generate_unique_id_function`)."""
    return route.name


# --- What an operation may answer -------------------------------------------------------------

WRITES = frozenset({"post", "put", "patch", "delete"})


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {PROBLEM_JSON: {"schema": {"$ref": f"{SCHEMA_REF}Problem"}}}}


def required_rights(route: APIRoute) -> list[str]:
    """The rights `clinic_shared.auth.require` checks before the endpoint runs, in order."""
    found: list[str] = []
    pending = [route.dependant]
    while pending:
        dependant = pending.pop()
        right = getattr(dependant.call, "required_right", None)
        if right and right not in found:
            found.append(right)
        pending.extend(dependant.dependencies)
    return sorted(found)


def declare_errors(operation: dict[str, Any], method: str, path: str, rights: list[str]) -> None:
    """Declare the error answers that apply to an operation, each a `Problem`.

    401 when it needs credentials (any security scheme); 403 when it needs a right (named in
    `x-required-rights`); 404 when the path names a resource; 409 on a write (a taken slot, a
    name in use, a stale state); 422 when it takes input. A `default` says any other error
    status is a problem too."""
    responses = operation.setdefault("responses", {})
    if operation.get("security"):
        responses.setdefault("401", _problem("No valid credentials: log in (POST /api/auth/token) or refresh"))
    if rights:
        operation["x-required-rights"] = rights
        responses.setdefault("403", _problem(f"The caller lacks a right: {', '.join(rights)}"))
    if "{" in path:
        responses.setdefault("404", _problem("No such resource (or not one the caller may see)"))
    if method in WRITES:
        responses.setdefault("409", _problem("The change conflicts with the current state"))
    if "422" in responses or operation.get("parameters") or operation.get("requestBody"):
        responses["422"] = _problem("Validation failed: `errors` names each rejected field")
    responses.setdefault("default", _problem("Problem details"))


# --- Examples ---------------------------------------------------------------------------------

EXAMPLE_UUID = "0b7d6f2e-4c1a-4f8e-9a3b-2d5c7e9f1a24"
_BY_FORMAT: dict[str, Any] = {
    "uuid": EXAMPLE_UUID,
    "date-time": "2026-12-07T09:00:00+03:00",
    "date": "2026-12-07",
    "time": "09:00:00",
    "email": "patient@example.ru",
    "uri": "https://clinic.example.ru/",
    "binary": "",
    "duration": "PT15M",
}
_BY_FIELD: dict[str, str] = {
    "last_name": "Иванова",
    "first_name": "Мария",
    "middle_name": "Петровна",
    "phone": "79161234567",
    "email": "patient@example.ru",
    "username": "reception1",
    "password": "Zvezda-Sever-2026",
    "timezone": "Europe/Moscow",
    "color": "#4CAF50",
    "colour": "#4CAF50",
    "barcode": "100000012",
    "card_number": "12345",
    "note": "Повторный приём",
    "comment": "Не смогу прийти",
}


MAX_DEPTH = 16
_PLAIN_STRINGS = ("example", "12345", "7701234567", "1500.00", "A1", "#4CAF50", "+03:00", "09:00", "ru")
"""Tried in turn for a string with a `pattern` and no example of its own."""


class _Examples:
    """An example value of a JSON schema, from what the schema says (`examples`, `default`,
    `enum`, formats, bounds) and, for a bare string, from the field's name."""

    def __init__(self, schemas: dict[str, Any], *, full: bool) -> None:
        self.schemas = schemas
        self.full = full  # every property (an answer), or only the required and exemplified ones (a request)

    def _shown(self, name: str, schema: dict[str, Any], required: list[str]) -> bool:
        return self.full or name in required or "examples" in schema or "example" in schema

    def of(self, schema: dict[str, Any], field: str = "", depth: int = 0) -> Any:
        if "$ref" in schema:
            name = schema["$ref"].removeprefix(SCHEMA_REF)
            return None if depth > MAX_DEPTH else self.of(self.schemas.get(name, {}), field, depth + 1)
        for key in ("example", "const"):
            if key in schema:
                return schema[key]
        if schema.get("examples"):
            return schema["examples"][0]
        if schema.get("default") is not None:
            return schema["default"]
        if schema.get("enum"):
            return schema["enum"][0]
        for key in ("anyOf", "oneOf"):
            if key in schema:
                options = [option for option in schema[key] if option.get("type") != "null"]
                return self.of(options[0], field, depth) if options else None
        if "allOf" in schema:
            merged: dict[str, Any] = {}
            for part in schema["allOf"]:
                value = self.of(part, field, depth)
                if isinstance(value, dict):
                    merged.update(value)
                else:
                    return value
            return merged
        kind = schema.get("type")
        if kind == "object" or "properties" in schema:
            required = schema.get("required", [])
            return {
                name: self.of(sub, name, depth + 1)
                for name, sub in schema.get("properties", {}).items()
                if depth < MAX_DEPTH and self._shown(name, sub, required)
            }
        if kind == "array":
            item = self.of(schema.get("items", {}), field.removesuffix("s"), depth + 1)
            return [item] * max(1, schema.get("minItems", 1))
        if kind == "integer":
            return max(schema.get("minimum", 1), min(schema.get("maximum", 1), 1))
        if kind == "number":
            return float(schema.get("minimum", 1))
        if kind == "boolean":
            return True
        if kind == "string":
            return self.string(schema, field)
        return None

    def string(self, schema: dict[str, Any], field: str) -> str:
        if schema.get("format") in _BY_FORMAT:
            return str(_BY_FORMAT[schema["format"]])
        candidates = [value for name, value in _BY_FIELD.items() if field == name or field.endswith(f"_{name}")]
        if field.endswith("_id") or field == "id":
            candidates.append(EXAMPLE_UUID)
        minimum, maximum = schema.get("minLength", 0), schema.get("maxLength", 64)
        candidates += [("Пример" * (minimum // 6 + 1))[: max(minimum, 6)], *_PLAIN_STRINGS]
        pattern = schema.get("pattern")
        for value in candidates:
            if minimum <= len(value) <= maximum and (pattern is None or re.search(pattern, value)):
                return value
        return candidates[0]


def _content_example(media_type: str, schema: dict[str, Any], examples: _Examples) -> Any:
    if media_type.endswith("json") or media_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return examples.of(schema)
    if media_type.startswith("text/html"):
        return '<!doctype html><html lang="ru">…</html>'
    if media_type.startswith("text/"):
        return "…"
    return None  # a binary download (.xlsx): its schema says so


def add_examples(document: dict[str, Any]) -> None:
    """A request example for every body and a response example for every 2xx answer, unless
    the operation gives its own."""
    schemas = document.get("components", {}).get("schemas", {})
    requests, answers = _Examples(schemas, full=False), _Examples(schemas, full=True)
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            if not isinstance(operation, dict):
                continue
            bodies = [(operation.get("requestBody", {}), requests)] + [
                (answer, answers) for status, answer in operation.get("responses", {}).items() if status.startswith("2")
            ]
            for body, examples in bodies:
                for media_type, content in body.get("content", {}).items():
                    if "example" in content or "examples" in content:
                        continue
                    value = _content_example(media_type, content.get("schema", {}), examples)
                    if value is not None:
                        content["example"] = value


def document_operations(document: dict[str, Any], routes: list[Any]) -> dict[str, Any]:
    """Declare each operation's errors and rights (`declare_errors`) and add examples."""
    for route in iter_route_contexts(routes):  # routes of included routers too
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        rights = required_rights(route.original_route)
        for method in route.methods:
            operation = document.get("paths", {}).get(route.path_format, {}).get(method.lower())
            if operation is not None:
                declare_errors(operation, method.lower(), route.path_format, rights)
    add_examples(document)
    return document
