"""/settings: the scheduling settings the clinic edits, and each user's own calendar view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from clinic_shared.auth import Principal
from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.errors import Forbidden
from clinic_shared.service import SessionDep
from scheduling.deps import Reader, SettingsDep, SettingsEditor
from scheduling.preferences import service
from scheduling.preferences.schemas import CalendarViewRead, CalendarViewUpdate, PreferencesRead, PreferencesUpdate

router = APIRouter(prefix="/settings", tags=["settings"])


async def calendar_user(principal: Reader) -> Principal:
    """A user reading the calendar; a service calling on its own behalf has no view of its own."""
    if principal.service is not None:
        raise Forbidden("A calendar view belongs to a user; a service token has none.")
    return principal


CalendarUser = Annotated[Principal, Depends(calendar_user)]


@router.get("")
async def read_settings(session: SessionDep, settings: SettingsDep, _: Reader, response: Response) -> PreferencesRead:
    """Grid step, deletion-reason policy, booking horizon, the calendar's colours and whether it
    shows non-working time; the time zone is read-only. The `ETag` is what PUT's `If-Match` names."""
    row = await service.stored(session)
    set_etag(response, row)
    return service.present(row, timezone=settings.timezone)


@router.put("")
async def update_settings(
    data: PreferencesUpdate,
    session: SessionDep,
    settings: SettingsDep,
    principal: SettingsEditor,
    response: Response,
    if_match: IfMatch = None,
) -> PreferencesRead:
    """Change the settings sent (the others keep their value); `If-Match` required (412 / 428)."""
    row = await service.update(session, principal=principal, data=data, if_match=if_match)
    set_etag(response, row)
    return service.present(row, timezone=settings.timezone)


@router.get("/my-calendar-view")
async def read_my_calendar_view(session: SessionDep, principal: CalendarUser, response: Response) -> CalendarViewRead:
    """The caller's calendar view: doctors shown, days shown, non-working time (defaults until
    saved, ETag "0")."""
    view, tag = await service.calendar_view(session, user_id=principal.user_id)
    response.headers["ETag"] = tag
    return view


@router.put("/my-calendar-view")
async def update_my_calendar_view(
    data: CalendarViewUpdate,
    session: SessionDep,
    principal: CalendarUser,
    response: Response,
    if_match: IfMatch = None,
) -> CalendarViewRead:
    """Change the fields sent of the caller's own view (the others keep their value);
    `If-Match` required (412 / 428)."""
    view, tag = await service.save_calendar_view(
        session, principal=principal, user_id=principal.user_id, data=data, if_match=if_match
    )
    response.headers["ETag"] = tag
    return view
