"""One OpenAPI document for the whole platform, merged from every service's own."""

from __future__ import annotations

import asyncio
import copy
import re
from typing import Any

import httpx

from clinic_shared.logging import get_logger

log = get_logger(__name__)


SCHEMA_REF = "#/components/schemas/"
SHARED_SCHEMAS = frozenset({"Problem"})
"""Schemas every document carries alike (clinic_shared.errors): one copy in the merged document."""


def _pascal(text: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[_\W]+", text) if part)


def schema_name(service: str | None, name: str) -> str:
    """The merged document's name of a service's schema, unique and readable in generated code.

    `Page_AppointmentRead_` of scheduling → `SchedulingAppointmentReadPage`; a request form
    `Body_<operation>` → `<Service><Operation>Body`; the gateway's own keep their names."""
    if name in SHARED_SCHEMAS:
        return name
    generic = re.fullmatch(r"([A-Za-z]+)_(\w+)_", name)
    if name.startswith("Body_"):
        name = f"{_pascal(name.removeprefix('Body_'))}Body"
    elif generic:
        name = f"{generic.group(2)}{generic.group(1)}"
    return f"{_pascal(service)}{name}" if service else name


def _rewrite_refs(node: Any, names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {
            key: (
                SCHEMA_REF + names.get(value.removeprefix(SCHEMA_REF), value.removeprefix(SCHEMA_REF))
                if key == "$ref" and isinstance(value, str) and value.startswith(SCHEMA_REF)
                else _rewrite_refs(value, names)
            )
            for key, value in node.items()
        }
    if isinstance(node, list):
        return [_rewrite_refs(item, names) for item in node]
    return node


def _add_schemas(merged: dict[str, Any], service: str | None, doc: dict[str, Any]) -> dict[str, str]:
    """Copy `doc`'s schemas under their merged names (each titled with it); the renaming used."""
    schemas = merged["components"]["schemas"]
    own = doc.get("components", {}).get("schemas", {})
    names = {name: schema_name(service, name) for name in own}
    for name, schema in own.items():
        if names[name] in SHARED_SCHEMAS:
            schemas.setdefault(names[name], schema)
            continue
        if names[name] in schemas:
            raise ValueError(f"two schemas would be named {names[name]}")
        schemas[names[name]] = {**_rewrite_refs(schema, names), "title": names[name]}
    return names


def _add_paths(merged: dict[str, Any], service: str | None, doc: dict[str, Any], names: dict[str, str]) -> None:
    for path, operations in doc.get("paths", {}).items():
        rewritten = _rewrite_refs(operations, names)
        for operation in rewritten.values():
            if not isinstance(operation, dict):
                continue
            if service:
                operation["tags"] = [f"{service}: {t}" for t in operation.get("tags", [])] or [service]
            if "operationId" in operation:
                operation["operationId"] = f"{service or 'gateway'}_{operation['operationId']}"
        merged["paths"][f"/api/{service}{path}" if service else path] = rewritten


def merge_documents(gateway_doc: dict[str, Any], service_docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """One document: each service's paths under `/api/<service>`, its schemas named
    `<Service><Name>` (`schema_name`) and titled so, one shared `Problem`, and operation ids
    `<service>_<operation>` (`gateway_<operation>` for the gateway's own; clinic_shared.openapi)."""
    merged = {key: copy.deepcopy(value) for key, value in gateway_doc.items() if key not in ("paths", "components")}
    merged["paths"] = {}
    merged["components"] = {
        key: copy.deepcopy(value) for key, value in gateway_doc.get("components", {}).items() if key != "schemas"
    }
    merged["components"]["schemas"] = {}
    security_schemes = merged["components"].setdefault("securitySchemes", {})
    tags = {t["name"]: t for t in merged.get("tags", [])}
    for service, doc in [(None, gateway_doc), *sorted(service_docs.items())]:
        names = _add_schemas(merged, service, doc)
        _add_paths(merged, service, doc, names)
        if service:
            security_schemes.update(doc.get("components", {}).get("securitySchemes", {}))
            tags.setdefault(service, {"name": service, "description": doc.get("info", {}).get("title", service)})
    used = {tag for _, _, operation in _operations(merged) for tag in operation.get("tags", [])}
    merged["tags"] = [tag for name, tag in tags.items() if name in used]  # a service's own name tags nothing
    return merged


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    ]


def platform_document(gateway_doc: dict[str, Any], service_docs: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """What `GET /api/openapi.json` serves: the merge, with the docs page's password login."""
    from gateway.docs import with_password_login

    return with_password_login(merge_documents(gateway_doc, service_docs))


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
