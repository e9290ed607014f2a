"""Unknown query parameters are refused (422), never ignored.

A filter a client believes it applied but the server ignored is worse than an error: the
waiting list answered every entry to `?date_from=…&date_to=…`, since only `?date=` was a filter.
So every route refuses query parameters it does not declare, naming each one. What a route
declares is read once from FastAPI's own dependency tree (its parameters, those of its
dependencies and the fields of query-parameter models).
"""

from __future__ import annotations

from typing import Any

from fastapi import Depends, Request
from pydantic import BaseModel

from clinic_shared.errors import ValidationFailed

_ALLOWED = "clinic_query_names"


def declared_query_names(route: Any) -> frozenset[str]:
    """The query parameter names a route reads (cached on the route)."""
    names: frozenset[str] | None = getattr(route, _ALLOWED, None)
    if names is None:
        names = frozenset(name for field in _query_fields(getattr(route, "dependant", None)) for name in _names(field))
        setattr(route, _ALLOWED, names)
    return names


def _query_fields(dependant: Any) -> list[Any]:
    """The query parameters of a dependant and of all its dependencies."""
    fields: list[Any] = []
    seen: set[int] = set()
    pending = [dependant] if dependant is not None else []
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        fields.extend(current.query_params)
        pending.extend(current.dependencies)
    return fields


def _names(field: Any) -> set[str]:
    """A parameter's name, or the field names of a query-parameter model."""
    annotation = field.field_info.annotation
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {info.alias or name for name, info in annotation.model_fields.items()}
    return {field.alias}


async def _refuse_unknown_query(request: Request) -> None:
    if not request.scope.get("query_string"):
        return
    route = request.scope.get("route")
    if route is None:
        return
    unknown = sorted(set(request.query_params) - declared_query_names(route))
    if unknown:
        raise ValidationFailed(
            f"Unknown query parameter(s): {', '.join(unknown[:10])}",
            errors=[{"field": name, "message": "unknown query parameter"} for name in unknown[:20]],
        )


# `FastAPI(dependencies=[REFUSE_UNKNOWN_QUERY])` or a router's `dependencies=[…]`.
REFUSE_UNKNOWN_QUERY = Depends(_refuse_unknown_query)
