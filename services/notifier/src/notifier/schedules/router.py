"""/schedules (NOT-2/NOT-3) and /schedules/{id}/preview (NOT-4)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from notifier.deps import ContextDep, Reader, ScheduleEditor
from notifier.schedules import service
from notifier.schedules.kinds import Channel, ScheduleType
from notifier.schedules.schemas import PreviewRead, PreviewRequest, ScheduleCreate, ScheduleRead, ScheduleUpdate
from notifier.templates import service as template_service

router = APIRouter(prefix="/schedules", tags=["schedules"])


@router.get("", response_model_exclude_unset=True)
async def list_schedules(
    session: SessionDep,
    page: PageDep,
    _: Reader,
    type: Annotated[ScheduleType | None, Query()] = None,
    channel: Annotated[Channel | None, Query()] = None,
    enabled: Annotated[bool | None, Query()] = None,
) -> Page[ScheduleRead]:
    """Mailing schedules, oldest first."""
    rows, total = await service.list_schedules(
        session, schedule_type=type, channel=channel, enabled=enabled, limit=page.limit, offset=page.offset
    )
    return Page(items=[service.to_read(row) for row in rows], total=total)


@router.post("", status_code=status.HTTP_201_CREATED, response_model_exclude_unset=True)
async def create_schedule(
    data: ScheduleCreate, session: SessionDep, context: ContextDep, principal: ScheduleEditor, response: Response
) -> ScheduleRead:
    """Create a schedule; its messages are planned for the appointments it concerns."""
    row = await service.create_schedule(session, data=data, principal=principal, tz=context.tz, now=context.now())
    context.wake_worker_after_commit(session)  # what is due already goes out now, not at the next tick
    set_etag(response, row)
    return service.to_read(row)


@router.get("/{schedule_id}", response_model_exclude_unset=True)
async def get_schedule(schedule_id: uuid.UUID, session: SessionDep, _: Reader, response: Response) -> ScheduleRead:
    """One schedule; `ETag`: its version, for `If-Match` on PATCH and DELETE."""
    row = await service.get_schedule(session, schedule_id)
    set_etag(response, row)
    return service.to_read(row)


@router.patch("/{schedule_id}", response_model_exclude_unset=True)
async def update_schedule(
    schedule_id: uuid.UUID,
    data: ScheduleUpdate,
    session: SessionDep,
    context: ContextDep,
    principal: ScheduleEditor,
    response: Response,
    if_match: IfMatch = None,
) -> ScheduleRead:
    """Change a schedule (only the fields given); enable or disable it with `enabled`.
    With `If-Match` (the `ETag` of the schedule read) another version → 412."""
    row = await service.update_schedule(
        session,
        schedule_id=schedule_id,
        data=data,
        principal=principal,
        tz=context.tz,
        now=context.now(),
        if_match=if_match,
    )
    context.wake_worker_after_commit(session)
    set_etag(response, row)
    return service.to_read(row)


@router.delete("/{schedule_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_schedule(
    schedule_id: uuid.UUID, session: SessionDep, context: ContextDep, _: ScheduleEditor, if_match: IfMatch = None
) -> Response:
    """Delete a schedule; its queued messages are cancelled, the sent ones stay in the log.
    With `If-Match` another version → 412."""
    await service.delete_schedule(session, schedule_id=schedule_id, now=context.now(), if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post("/{schedule_id}/preview")
async def preview_schedule_message(
    schedule_id: uuid.UUID, data: PreviewRequest, session: SessionDep, context: ContextDep, _: Reader
) -> PreviewRead:
    """The schedule's text rendered for an appointment, a patient or sample values, with its SMS size."""
    return await template_service.preview(session, schedule_id=schedule_id, request=data, context=context)
