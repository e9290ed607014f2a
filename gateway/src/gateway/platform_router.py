"""`/api/platform/settings`: read by any logged-in user, changed with `gateway.settings`.

Settings are edited with a precondition (#15): the GET's `ETag` goes back in `If-Match`; a
change made from an older version answers 412, one without `If-Match` 428 (`If-Match: *`
overrides; a service's own token needs none)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response

from clinic_shared.auth import CurrentPrincipal, Principal, require
from clinic_shared.concurrency import IfMatch, check_if_match, set_etag
from clinic_shared.db import utcnow
from gateway import audit
from gateway.auth_router import client_address
from gateway.models import PlatformSettingsRow
from gateway.platform import PlatformSettingsRead, PlatformSettingsUpdate
from gateway.runtime import GatewayRuntime, GatewaySessionDep, get_gateway

router = APIRouter(prefix="/api/platform", tags=["platform"])
GatewayDep = Annotated[GatewayRuntime, Depends(get_gateway)]


@router.get("/settings", response_model=PlatformSettingsRead, summary="Settings of the whole platform")
async def read_platform_settings(
    _: CurrentPrincipal, session: GatewaySessionDep, gateway: GatewayDep, response: Response
) -> PlatformSettingsRow:
    """The settings; the `ETag` is the version to send in `If-Match` when changing them."""
    row = await gateway.platform.stored(session)
    set_etag(response, row)
    return row


@router.put(
    "/settings",
    response_model=PlatformSettingsRead,
    summary="Change the platform settings: every service uses the new time zone within seconds",
)
async def change_platform_settings(
    request: Request,
    body: PlatformSettingsUpdate,
    principal: Annotated[Principal, require("gateway.settings")],
    session: GatewaySessionDep,
    gateway: GatewayDep,
    response: Response,
    if_match: IfMatch = None,
) -> PlatformSettingsRow:
    """Needs `If-Match` with the GET's `ETag` (428 without, 412 when changed since)."""
    row = await gateway.platform.stored(session, for_update=True)
    check_if_match(if_match, row, principal, required=True)
    before = row.timezone
    if body.timezone != before:
        row.timezone = body.timezone
        row.updated_at = utcnow()
        row.updated_by = principal.username
        audit.record(
            session,
            "platform.settings_changed",
            actor=principal,
            details={"timezone": {"before": before, "after": body.timezone}},
            client_address=client_address(request),
        )
        await session.commit()
        await gateway.platform.announce(row)
    set_etag(response, row)
    return row
