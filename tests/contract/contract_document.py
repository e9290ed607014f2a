"""The merged OpenAPI document built without starting the platform, and its operations."""

from __future__ import annotations

from typing import Any


def build_document() -> dict[str, Any]:
    """The gateway's merge of every service's own document (what `/api/openapi.json` serves)."""
    from pydantic import SecretStr

    from clinic_shared.auth import generate_keypair
    from gateway.embedded import build_platform
    from gateway.openapi import platform_document
    from gateway.settings import GatewaySettings

    settings = GatewaySettings(jwt_private_key=SecretStr(generate_keypair()[0]), admin_password=SecretStr("x" * 12))
    app = build_platform(settings)
    services = {name: service.openapi() for name, service in app.state.embedded_apps.items()}
    return platform_document(app.openapi(), services)


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if isinstance(operation, dict)
    ]
