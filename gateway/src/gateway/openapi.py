"""One OpenAPI document for the whole platform, merged from every service's own."""

from __future__ import annotations

import asyncio
import copy
from typing import Any

import httpx

from clinic_shared.logging import get_logger

log = get_logger(__name__)


def _rewrite_refs(node: Any, prefix: str) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                value.replace("#/components/schemas/", f"#/components/schemas/{prefix}")
                if key == "$ref" and isinstance(value, str)
                else _rewrite_refs(value, prefix)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item, prefix) for item in node]
    return node


def merge_documents(gateway_doc: dict[str, Any], service_docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Prefix each service's paths with `/api/<service>` and its schema names with `<service>__`."""
    merged = copy.deepcopy(gateway_doc)
    merged.setdefault("paths", {})
    components = merged.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    security_schemes = components.setdefault("securitySchemes", {})
    tags = {t["name"]: t for t in merged.get("tags", [])}
    for service, doc in sorted(service_docs.items()):
        prefix = f"{service}__"
        for path, operations in doc.get("paths", {}).items():
            rewritten = _rewrite_refs(operations, prefix)
            for operation in rewritten.values():
                if isinstance(operation, dict) and "tags" in operation:
                    operation["tags"] = [f"{service}: {t}" for t in operation["tags"]]
                elif isinstance(operation, dict):
                    operation["tags"] = [service]
                if isinstance(operation, dict) and "operationId" in operation:
                    operation["operationId"] = f"{service}__{operation['operationId']}"
            merged["paths"][f"/api/{service}{path}"] = rewritten
        for name, schema in doc.get("components", {}).get("schemas", {}).items():
            schemas[f"{prefix}{name}"] = _rewrite_refs(schema, prefix)
        security_schemes.update(doc.get("components", {}).get("securitySchemes", {}))
        tags.setdefault(service, {"name": service, "description": doc.get("info", {}).get("title", service)})
    merged["tags"] = list(tags.values())
    return merged


async def fetch_service_docs(clients: dict[str, httpx.AsyncClient]) -> dict[str, dict[str, Any]]:
    async def fetch(name: str, client: httpx.AsyncClient) -> tuple[str, dict[str, Any] | None]:
        try:
            response = await client.get("/openapi.json", timeout=10)
            response.raise_for_status()
            return name, response.json()
        except (httpx.HTTPError, ValueError):
            log.warning("gateway.openapi.unavailable", service=name)
            return name, None

    results = await asyncio.gather(*(fetch(n, c) for n, c in clients.items()))
    return {name: doc for name, doc in results if doc is not None}
