"""/calendar: the booking screen's grid (SCH-3)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from clinic_shared.dates import ApiAwareDateTime, ApiDate
from clinic_shared.service import SessionDep
from scheduling.calendar import service
from scheduling.calendar.schemas import Calendar
from scheduling.deps import Reader, SettingsDep
from scheduling.localtime import zone

router = APIRouter(prefix="/calendar", tags=["calendar"])


@router.get("")
async def get_calendar(
    session: SessionDep,
    settings: SettingsDep,
    _: Reader,
    date_from: ApiDate,
    date_to: ApiDate,
    doctor_id: Annotated[list[uuid.UUID] | None, Query(description="repeat for several doctors")] = None,
    cabinet_id: Annotated[list[uuid.UUID] | None, Query(description="repeat for several cabinets")] = None,
    building_id: uuid.UUID | None = None,
    group_by: Literal["date", "doctor"] = "date",
    view: Annotated[
        Literal["doctors", "cabinets"], Query(description="whom to show when no doctor_id/cabinet_id is given")
    ] = "doctors",
    updated_since: Annotated[
        ApiAwareDateTime | None,
        Query(
            description=(
                "only appointments created or changed at or after this instant (deleted ones too, "
                "`deleted: true`), for clients that poll"
            )
        ),
    ] = None,
) -> Calendar:
    """Working days, breaks and appointments per date × doctor/cabinet, plus the grid step."""
    query = service.CalendarQuery(
        date_from=date_from,
        date_to=date_to,
        doctor_ids=list(dict.fromkeys(doctor_id or [])),
        cabinet_ids=list(dict.fromkeys(cabinet_id or [])),
        building_id=building_id,
        group_by=group_by,
        view=view,
        updated_since=updated_since,
    )
    return await service.build(session, query, tz=zone(settings.timezone), minor_age=settings.minor_age)
