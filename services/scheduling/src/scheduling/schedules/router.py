"""/schedules: doctors' and cabinets' working days (SCH-2)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.dates import ApiDate
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from scheduling.deps import Reader, ScheduleEditor, SettingsDep
from scheduling.localtime import zone
from scheduling.schedules import service
from scheduling.schedules.repository import ScheduleRepository
from scheduling.schedules.schemas import (
    BreakCreate,
    BulkResult,
    ScheduleBulk,
    ScheduleCreate,
    ScheduleDay,
    ScheduleRead,
)

router = APIRouter(prefix="/schedules", tags=["schedules"])


@router.get("")
async def list_schedules(
    session: SessionDep,
    settings: SettingsDep,
    _: Reader,
    page: PageDep,
    date_from: ApiDate | None = None,
    date_to: ApiDate | None = None,
    doctor_id: Annotated[list[uuid.UUID] | None, Query(description="repeat for several doctors")] = None,
    cabinet_id: Annotated[list[uuid.UUID] | None, Query(description="repeat for several cabinets")] = None,
) -> Page[ScheduleRead]:
    """Schedules of a period, of some doctors and/or cabinets, by date."""
    statement = ScheduleRepository(session).search(
        date_from=date_from, date_to=date_to, doctor_ids=doctor_id or [], cabinet_ids=cabinet_id or []
    )
    rows, total = await ScheduleRepository(session).paginate(statement, limit=page.limit, offset=page.offset)
    tz = zone(settings.timezone)
    return Page(items=[service.present(s, tz) for s in rows], total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_schedule(
    data: ScheduleCreate, session: SessionDep, settings: SettingsDep, principal: ScheduleEditor, response: Response
) -> ScheduleRead:
    """One working day of a doctor or a cabinet; 409 when the day already has one."""
    tz = zone(settings.timezone)
    schedule = await service.create_schedule(session, principal=principal, data=data, tz=tz)
    set_etag(response, schedule)
    return service.present(schedule, tz)


@router.post("/bulk")
async def fill_schedules(
    data: ScheduleBulk, session: SessionDep, settings: SettingsDep, principal: ScheduleEditor
) -> BulkResult:
    """Fill a period by weekday pattern; reports the dates created, replaced and skipped."""
    return await service.bulk_fill(session, principal=principal, data=data, tz=zone(settings.timezone))


@router.get("/{schedule_id}")
async def get_schedule(
    schedule_id: uuid.UUID, session: SessionDep, settings: SettingsDep, _: Reader, response: Response
) -> ScheduleRead:
    """One working day; its `ETag` is its version (send it as `If-Match` to change it)."""
    schedule = await service.get_schedule(session, schedule_id)
    set_etag(response, schedule)
    return service.present(schedule, zone(settings.timezone))


@router.put("/{schedule_id}")
async def replace_schedule(
    schedule_id: uuid.UUID,
    data: ScheduleDay,
    session: SessionDep,
    settings: SettingsDep,
    principal: ScheduleEditor,
    response: Response,
    if_match: IfMatch = None,
) -> ScheduleRead:
    """Replace the day's intervals, breaks, day type and note; `If-Match` required (412 / 428)."""
    tz = zone(settings.timezone)
    schedule = await service.replace_schedule(
        session, principal=principal, schedule_id=schedule_id, data=data, tz=tz, if_match=if_match
    )
    set_etag(response, schedule)
    return service.present(schedule, tz)


@router.post("/{schedule_id}/breaks")
async def add_break(
    schedule_id: uuid.UUID,
    data: BreakCreate,
    session: SessionDep,
    settings: SettingsDep,
    principal: ScheduleEditor,
    response: Response,
    if_match: IfMatch = None,
) -> ScheduleRead:
    """Add a break to this day only; `If-Match` required (412 / 428)."""
    tz = zone(settings.timezone)
    schedule = await service.add_break(
        session, principal=principal, schedule_id=schedule_id, data=data, tz=tz, if_match=if_match
    )
    set_etag(response, schedule)
    return service.present(schedule, tz)


@router.delete("/{schedule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_schedule(
    schedule_id: uuid.UUID,
    session: SessionDep,
    settings: SettingsDep,
    principal: ScheduleEditor,
    if_match: IfMatch = None,
) -> Response:
    """Delete a working day (refused while it has active appointments); `If-Match` required (412 / 428)."""
    await service.delete_schedule(
        session, principal=principal, schedule_id=schedule_id, tz=zone(settings.timezone), if_match=if_match
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)
