"""How operations are named in the OpenAPI documents, for clients generated from them (#15).

An operation's id is its endpoint function's name (`book_appointment`), or the `operation_id`
a route sets itself (the generic directories do: `list_doctors`). The gateway's merged document
prefixes it with the service (`scheduling_book_appointment`, gateway/openapi.py). FastAPI's
default (`book_appointment_appointments_post`) spells the path into the id, so moving a route
would rename every generated client's method; a function name changes only on purpose, and
tests/contract keeps the list of ids so that a change shows in review.

Each operation declares the errors it can answer (`declare_errors`): 412 where it takes
`If-Match`, 428 where it requires it. Nothing in a route says "required"; the service code does,
`check_if_match(if_match, row, principal, required=True)`, so `requires_if_match` follows the
header's value from the endpoint into the functions it is passed to and finds that call. In the
same way `sets_etag` finds the endpoints that answer with an `ETag`.
"""

from __future__ import annotations

import ast
import copy
import functools
import inspect
import re
import textwrap
from collections.abc import Callable
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


# --- Versions: If-Match, ETag (clinic_shared.concurrency) -------------------------------------

IF_MATCH = "If-Match"
TRACE_DEPTH = 4
"""How many calls deep `requires_if_match` follows the If-Match value (router → service → helper)."""


def if_match_parameter(route: APIRoute) -> str | None:
    """The endpoint's parameter that receives the `If-Match` header (`IfMatch`), if it takes one."""
    return next((field.name for field in route.dependant.header_params if field.alias == IF_MATCH), None)


@functools.cache
def _function_tree(function: Callable[..., Any]) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    try:
        source = textwrap.dedent(inspect.getsource(function))
    except (OSError, TypeError):  # no source (a builtin, a lambda in a REPL)
        return None
    node = ast.parse(source).body[0]
    return node if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else None


def _resolve(expression: ast.expr, function: Callable[..., Any]) -> Any:
    """What a called name (`helper`, `service.update_card`) means where `function` is written."""
    if isinstance(expression, ast.Name):
        try:
            nonlocals = inspect.getclosurevars(function).nonlocals
        except ValueError:  # a closure cell not filled yet
            nonlocals = {}
        return nonlocals.get(expression.id, function.__globals__.get(expression.id))
    if isinstance(expression, ast.Attribute):
        base = _resolve(expression.value, function)
        return None if base is None else getattr(base, expression.attr, None)
    return None


def _passes(call: ast.Call, name: str) -> str | int | None:
    """Where `call` passes the variable `name`: its keyword, or its position."""
    for keyword in call.keywords:
        if keyword.arg and isinstance(keyword.value, ast.Name) and keyword.value.id == name:
            return keyword.arg
    for position, argument in enumerate(call.args):
        if isinstance(argument, ast.Name) and argument.id == name:
            return position
    return None


def _source_of(function: Any) -> tuple[Callable[..., Any], ast.FunctionDef | ast.AsyncFunctionDef] | None:
    """A plain function (decorators unwrapped) and its parsed definition, if it has source."""
    function = inspect.unwrap(function) if callable(function) else function
    if not inspect.isfunction(function):
        return None
    tree = _function_tree(function)
    return None if tree is None else (function, tree)


def _marked_required(call: ast.Call) -> bool:
    return any(
        k.arg == "required" and isinstance(k.value, ast.Constant) and k.value.value is True for k in call.keywords
    )


def _requires(function: Any, name: str, depth: int) -> bool:
    """Whether the variable `name` of `function` reaches a call marked `required=True`."""
    found = _source_of(function)
    if found is None or depth > TRACE_DEPTH:
        return False
    function, tree = found
    for call in (node for node in ast.walk(tree) if isinstance(node, ast.Call)):
        where = _passes(call, name)
        if where is None:
            continue
        if _marked_required(call):
            return True
        callee = _source_of(_resolve(call.func, function))
        if callee is None:
            continue
        arguments = callee[1].args
        positional = [argument.arg for argument in arguments.posonlyargs + arguments.args]
        received = positional[where] if isinstance(where, int) and where < len(positional) else where
        if isinstance(received, str) and _requires(callee[0], received, depth + 1):
            return True
    return False


def requires_if_match(route: APIRoute) -> bool:
    """Whether the operation answers 428 without `If-Match`: the header's value reaches a call
    marked `required=True` (`check_if_match(if_match, row, principal, required=True)`, or a helper
    such as scheduling's `context(..., if_match=if_match, required=True)`), followed from the
    endpoint through the functions it passes the value to."""
    name = if_match_parameter(route)
    return name is not None and _requires(route.endpoint, name, 0)


def sets_etag(route: APIRoute) -> bool:
    """Whether the endpoint answers with an `ETag`: it calls `set_etag` or sets `….headers["ETag"]`."""
    found = _source_of(route.endpoint)
    for node in ast.walk(found[1]) if found else ():
        if (
            isinstance(node, ast.Call)
            and (getattr(node.func, "id", None) or getattr(node.func, "attr", None)) == "set_etag"
        ):
            return True
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Store):
            if isinstance(node.slice, ast.Constant) and node.slice.value == "ETag":
                return True
    return False


# --- What an operation may answer -------------------------------------------------------------

WRITES = frozenset({"post", "put", "patch", "delete"})


def _problem(description: str, schema: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "description": description,
        "content": {PROBLEM_JSON: {"schema": copy.deepcopy(schema) if schema else {"$ref": f"{SCHEMA_REF}Problem"}}},
    }


VERSIONED_PROBLEM: dict[str, Any] = {
    "allOf": [
        {"$ref": f"{SCHEMA_REF}Problem"},
        {
            "type": "object",
            "properties": {
                "current_version": {
                    "anyOf": [{"type": "string"}, {"type": "null"}],
                    "description": "the resource's current version (null when it is gone)",
                    "examples": ["8"],
                },
                "etag": {
                    "anyOf": [{"type": "string"}, {"type": "null"}],
                    "description": "the current version as an ETag, to send in `If-Match` after a reload",
                    "examples": ['"8"'],
                },
            },
        },
    ]
}
"""A 412 or 428 problem: `current_version` and `etag` name the version there is now
(clinic_shared.concurrency; absent or null when the resource is gone)."""

ETAG_HEADER: dict[str, Any] = {
    "description": "The version of the resource answered: send it back in `If-Match` to change it",
    "schema": {"type": "string"},
    "example": '"7"',
}


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


def _takes_if_match(operation: dict[str, Any]) -> bool:
    return any(p.get("in") == "header" and p.get("name") == IF_MATCH for p in operation.get("parameters", []))


def declare_errors(
    operation: dict[str, Any],
    method: str,
    path: str,
    rights: list[str],
    *,
    if_match_required: bool = False,
    etag: bool = False,
) -> None:
    """Declare the error answers that apply to an operation, each a `Problem`.

    401 when it needs credentials (any security scheme); 403 when it needs a right (named in
    `x-required-rights`); 404 when the path names a resource; 409 on a write (a taken slot, a
    name in use, a stale state); 412 when it takes `If-Match` and 428 when it requires it (both
    with the current version); 422 when it takes input. A `default` says any other error
    status is a problem too. `etag`: its successful answers carry the resource's `ETag`."""
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
    if _takes_if_match(operation):
        responses.setdefault(
            "412",
            _problem(
                "Changed since the version in `If-Match` (or the body's `version`): "
                "`current_version` and `etag` name the current one (version-mismatch)",
                VERSIONED_PROBLEM,
            ),
        )
        if if_match_required:
            responses.setdefault(
                "428",
                _problem(
                    "`If-Match` is required here (not from a service acting on its own behalf): "
                    "`etag` names the current version (if-match-required)",
                    VERSIONED_PROBLEM,
                ),
            )
    if "422" in responses or operation.get("parameters") or operation.get("requestBody"):
        responses["422"] = _problem("Validation failed: `errors` names each rejected field")
    if etag:
        for status, answer in responses.items():
            if status.startswith("2"):
                answer.setdefault("headers", {})["ETag"] = copy.deepcopy(ETAG_HEADER)
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
    """Declare each operation's errors and rights (`declare_errors`), the `ETag` of its answers
    and add examples."""
    for route in iter_route_contexts(routes):  # routes of included routers too
        if not isinstance(route.original_route, APIRoute) or not route.include_in_schema:
            continue
        original = route.original_route
        rights, required, etag = required_rights(original), requires_if_match(original), sets_etag(original)
        path = route.path_format  # with the prefixes of the routers it is included in
        if path is None:
            continue
        for method in route.methods or ():
            operation = document.get("paths", {}).get(path, {}).get(method.lower())
            if operation is not None:
                declare_errors(operation, method.lower(), path, rights, if_match_required=required, etag=etag)
    add_examples(document)
    return document
