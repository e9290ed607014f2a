"""Asking scheduling whether a price-list service exists (LAB-3).

Scheduling owns the price list (`GET /services/{id}`). When it is reachable, an unknown id is
refused; when it is not configured or does not answer, the id is accepted unverified (the
link is then shown without code and name) — lab must keep working while scheduling is down.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import httpx

from clinic_shared.errors import Forbidden, ServiceUnavailable, ValidationFailed
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime

log = get_logger(__name__)


@dataclass(frozen=True)
class PriceListEntry:
    service_id: uuid.UUID
    code: str | None
    name: str | None
    verified: bool


async def check_service(
    runtime: ServiceRuntime, *, authorization: str | None, service_id: uuid.UUID, field: str
) -> PriceListEntry:
    """The service as scheduling knows it; 422 naming `field` when scheduling says 404."""
    try:
        client = runtime.peer("scheduling", authorization=authorization)
    except ServiceUnavailable:
        return PriceListEntry(service_id, None, None, verified=False)
    headers = {"Authorization": authorization} if authorization else None
    try:
        response = await client.get(f"/services/{service_id}", headers=headers)
    except httpx.HTTPError as exc:
        log.warning("lab.links.scheduling_unreachable", error=type(exc).__name__)
        return PriceListEntry(service_id, None, None, verified=False)
    if response.status_code == 404:
        raise ValidationFailed.field(field, f"unknown service {service_id}", "unknown_service")
    if response.status_code in (401, 403):
        raise Forbidden(
            "Checking a service in the price list needs the right 'scheduling.read'.",
            missing_right="scheduling.read",
        )
    if response.status_code != 200:
        log.warning("lab.links.scheduling_error", status=response.status_code)
        return PriceListEntry(service_id, None, None, verified=False)
    body = response.json() if response.headers.get("content-type", "").startswith("application/json") else {}
    code, name = body.get("code"), body.get("name")
    return PriceListEntry(
        service_id, str(code) if code is not None else None, str(name) if name is not None else None, verified=True
    )
