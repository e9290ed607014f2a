"""GET /free-slots: the nearest free time of a doctor, a specialization or a service (SCH-12)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from clinic_shared.service import SessionDep
from scheduling.deps import Reader, SettingsDep
from scheduling.freeslots import service
from scheduling.freeslots.schemas import FreeSlotPage, FreeSlotQuery
from scheduling.localtime import zone
from scheduling.preferences import service as preferences

router = APIRouter(tags=["free slots"])


@router.get("/free-slots")
async def search_free_slots(
    session: SessionDep, settings: SettingsDep, _: Reader, query: Annotated[FreeSlotQuery, Query()]
) -> FreeSlotPage:
    """Free slots of `duration_minutes` (default: the grid step) in time order, nearest first."""
    prefs = await preferences.current(session)
    return await service.find(session, query, tz=zone(settings.timezone), prefs=prefs)
