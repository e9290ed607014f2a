"""/settings: the ONDOC integration settings (OND-1)."""

from __future__ import annotations

from fastapi import APIRouter

from clinic_shared.service import SessionDep
from ondoc_bridge.config import service
from ondoc_bridge.config.schemas import ConfigRead, ConfigUpdate
from ondoc_bridge.deps import Reader, SettingsDep, SettingsEditor

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("")
async def read_settings(session: SessionDep, principal: Reader) -> ConfigRead:
    """The settings; tokens and callback secrets are never shown in clear."""
    return service.config_read(await service.load(session))


@router.put("")
async def update_settings(
    data: ConfigUpdate, session: SessionDep, principal: SettingsEditor, settings: SettingsDep
) -> ConfigRead:
    """Change the settings; fields left out keep their values (tokens and secrets included).
    A server URL on a loopback, private or link-local address is refused (422) unless the
    operator allows private targets (CLINIC_OUTBOUND_ALLOW_PRIVATE)."""
    updated = await service.update(
        session, data=data, principal=principal, allow_private=settings.outbound_allow_private
    )
    return service.config_read(updated)
