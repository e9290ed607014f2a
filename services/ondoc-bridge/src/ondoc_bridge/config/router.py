"""/settings: the ONDOC integration settings (OND-1).

Settings are edited with a precondition (#15): the GET's `ETag` (the settings' `version`) goes
back in `If-Match`; a change made from another version answers 412, one without `If-Match` 428
(`If-Match: *` overrides; a service's own token needs none)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.service import SessionDep
from ondoc_bridge.config import service
from ondoc_bridge.config.schemas import ConfigRead, ConfigUpdate
from ondoc_bridge.deps import Reader, SettingsDep, SettingsEditor

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("")
async def read_settings(session: SessionDep, principal: Reader, response: Response) -> ConfigRead:
    """The settings; tokens and callback secrets are never shown in clear. The `ETag` is the
    version to send in `If-Match` when changing them."""
    config = await service.load(session)
    set_etag(response, config)
    return service.config_read(config)


@router.put("")
async def update_settings(
    data: ConfigUpdate,
    session: SessionDep,
    principal: SettingsEditor,
    settings: SettingsDep,
    response: Response,
    if_match: IfMatch = None,
) -> ConfigRead:
    """Change the settings; fields left out keep their values (tokens and secrets included).
    Needs `If-Match` with the GET's `ETag` (428 without, 412 when changed since).
    A server URL on a loopback, private or link-local address is refused (422) unless the
    operator allows private targets (CLINIC_OUTBOUND_ALLOW_PRIVATE)."""
    updated = await service.update(
        session, data=data, principal=principal, allow_private=settings.outbound_allow_private, if_match=if_match
    )
    set_etag(response, updated)
    return service.config_read(updated)
