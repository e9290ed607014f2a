"""GET /messages and POST /messages/{id}/retry (NOT-5)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from notifier.deps import ContextDep, Reader, Sender
from notifier.messages import service
from notifier.messages.models import MessageStatus
from notifier.messages.schemas import MessageRead
from notifier.schedules.kinds import Channel

router = APIRouter(prefix="/messages", tags=["messages"])


@router.get("")
async def list_messages(
    session: SessionDep,
    page: PageDep,
    _: Reader,
    status: Annotated[MessageStatus | None, Query()] = None,
    schedule_id: Annotated[uuid.UUID | None, Query()] = None,
    patient_id: Annotated[uuid.UUID | None, Query()] = None,
    appointment_id: Annotated[uuid.UUID | None, Query()] = None,
    channel: Annotated[Channel | None, Query()] = None,
) -> Page[MessageRead]:
    """The message log, latest due first."""
    rows, total = await service.list_messages(
        session,
        status=status,
        schedule_id=schedule_id,
        patient_id=patient_id,
        appointment_id=appointment_id,
        channel=channel,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[MessageRead.model_validate(row) for row in rows], total=total)


@router.post("/{message_id}/retry")
async def retry_message(
    message_id: uuid.UUID, session: SessionDep, context: ContextDep, principal: Sender
) -> MessageRead:
    """Send a failed message, or one whose delivery is unknown, again (it is queued, due at once)."""
    message = await service.retry_message(session, message_id=message_id, principal=principal, now=context.now())
    context.wake_worker_after_commit(session)
    return MessageRead.model_validate(message)
