"""Walking the merged OpenAPI: every operation, with its path filled in, called in turn.

The walk sends no body: authentication and rights are dependencies that FastAPI resolves before
it looks at the body, so a refusal must come whatever the body would have been.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from typing import Any

import httpx

METHODS = ("get", "post", "put", "patch", "delete")

# Operations anyone may call without a bearer token, and what protects them instead.
PUBLIC: dict[tuple[str, str], str] = {
    ("GET", "/api/health"): "readiness probe, says only ok/unavailable per service",
    ("POST", "/api/auth/token"): "the login itself (throttled)",
    ("POST", "/api/auth/refresh"): "a refresh token (rotating, reuse ends the session)",
    ("POST", "/api/auth/logout"): "ends the session its bearer or refresh token names; nothing else",
    ("GET", "/api/scheduling/online/doctors"): "online booking widget: X-Api-Key",
    ("GET", "/api/scheduling/online/services"): "online booking widget: X-Api-Key",
    ("GET", "/api/scheduling/online/free-slots"): "online booking widget: X-Api-Key",
    ("POST", "/api/scheduling/online/appointments"): "online booking widget: X-Api-Key",
    ("DELETE", "/api/scheduling/online/appointments/{appointment_id}"): "online booking widget: X-Api-Key",
    ("POST", "/api/ondoc/callbacks/attach"): "ONDOC callback: HMAC signature + timestamp + callback id",
    ("POST", "/api/ondoc/callbacks/detach"): "ONDOC callback: HMAC signature + timestamp + callback id",
    ("POST", "/api/ondoc/callbacks/book"): "ONDOC callback: HMAC signature + timestamp + callback id",
    ("POST", "/api/ondoc/callbacks/cancel"): "ONDOC callback: HMAC signature + timestamp + callback id",
}
# Public operations that need no credential at all (the others need their own, checked too).
OPEN = {("GET", "/api/health"), ("POST", "/api/auth/token"), ("POST", "/api/auth/logout")}
# Operations any authenticated user may call, whatever their rights.
# (The live stream, too: it shows each user only the events their rights show, none without any.)
ANY_USER = {
    ("GET", "/api/auth/me"),
    ("POST", "/api/auth/password"),
    ("GET", "/api/platform/settings"),
    ("GET", "/api/events/stream"),
}


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def key(self) -> tuple[str, str]:
        return self.method, self.path

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    def url(self, values: dict[str, str] | None = None) -> str:
        """The path with every parameter filled: from `values`, else a value of the right type."""
        chosen = values or {}
        parameters = {p["name"]: p for p in self.spec.get("parameters", []) if p.get("in") == "path"}

        def fill(match: re.Match[str]) -> str:
            name = match.group(1)
            return chosen.get(name) or sample_value(parameters.get(name, {}).get("schema", {}))

        return re.sub(r"\{([^}]+)\}", fill, self.path)


def sample_value(schema: dict[str, Any]) -> str:
    """A syntactically valid path value: a random UUID, the first enum member, a number, a word."""
    if "enum" in schema:
        return str(schema["enum"][0])
    for option in schema.get("anyOf", []) + schema.get("allOf", []):
        if "enum" in option or option.get("format") == "uuid":
            return sample_value(option)
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    if schema.get("type") == "integer":
        return "1"
    return "x"


def operations(document: dict[str, Any]) -> list[Operation]:
    return [
        Operation(method.upper(), path, spec)
        for path, item in sorted(document["paths"].items())
        for method, spec in item.items()
        if method in METHODS
    ]


async def call(
    client: httpx.AsyncClient, operation: Operation, headers: dict[str, str], **values: str
) -> httpx.Response:
    return await client.request(operation.method, operation.url(values), headers=headers)
