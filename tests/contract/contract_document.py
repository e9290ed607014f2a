"""The merged OpenAPI document built without starting the platform, and its operations."""

from __future__ import annotations

from typing import Any


def build_document() -> dict[str, Any]:
    """The gateway's merge of every service's own document (what `/api/openapi.json` serves)."""
    from gateway.embedded import offline_openapi_document

    return offline_openapi_document()


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    ]
