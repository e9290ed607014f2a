"""The message log (NOT-5): list and retry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.errors import Conflict, NotFound
from clinic_shared.logging import get_logger
from notifier.messages.models import Message
from notifier.messages.repository import MessageRepository

log = get_logger(__name__)

RETRYABLE = ("failed", "unknown")


async def list_messages(
    session: AsyncSession,
    *,
    status: str | None,
    schedule_id: uuid.UUID | None,
    patient_id: uuid.UUID | None,
    appointment_id: uuid.UUID | None,
    channel: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Message], int]:
    """Messages, latest due first, filtered."""
    return await MessageRepository(session).page_filtered(
        status=status,
        schedule_id=schedule_id,
        patient_id=patient_id,
        appointment_id=appointment_id,
        channel=channel,
        limit=limit,
        offset=offset,
    )


async def retry_message(
    session: AsyncSession, *, message_id: uuid.UUID, principal: Principal, now: datetime
) -> Message:
    """Queue a failed message, or one whose delivery is unknown, again, due at once (409 otherwise).

    For SMSC the resend asks first whether SMSC has the message, so an `unknown` one that did go
    out is marked sent rather than texted twice; with other providers staff decide."""
    repository = MessageRepository(session)
    message = await repository.get(message_id, for_update=True)
    if message is None:
        raise NotFound(f"Message {message_id} does not exist.")
    if message.status not in RETRYABLE:
        raise Conflict(
            f"Only failed messages or those of unknown delivery can be retried; this one is {message.status}.",
            code="message-not-retryable",
            status_now=message.status,
        )
    message.status = "queued"
    message.next_attempt_at = now
    message.lease_until = None
    message.updated_at = now
    await session.flush()
    log.info("notifier.message.retry_requested", message_id=str(message.id), by=principal.username)
    return message
