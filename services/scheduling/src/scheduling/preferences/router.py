"""/settings: the scheduling settings the clinic edits."""

from __future__ import annotations

from fastapi import APIRouter

from clinic_shared.service import SessionDep
from scheduling.deps import Reader, SettingsDep, SettingsEditor
from scheduling.preferences import service
from scheduling.preferences.schemas import PreferencesRead, PreferencesUpdate

router = APIRouter(prefix="/settings", tags=["settings"])


@router.get("")
async def read_settings(session: SessionDep, settings: SettingsDep, _: Reader) -> PreferencesRead:
    """Grid step, deletion-reason policy, booking horizon; the time zone is read-only."""
    return service.present(await service.stored(session), timezone=settings.timezone)


@router.put("")
async def update_settings(
    data: PreferencesUpdate, session: SessionDep, settings: SettingsDep, principal: SettingsEditor
) -> PreferencesRead:
    """Change the settings sent (the others keep their value)."""
    row = await service.update(session, principal=principal, data=data)
    return service.present(row, timezone=settings.timezone)
