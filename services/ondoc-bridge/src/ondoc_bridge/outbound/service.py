"""Putting things on the outbound queue and reading it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.errors import NotFound
from ondoc_bridge.outbound.models import APPOINTMENT, DETACH, PENDING, STATUSES, OutboundItem
from ondoc_bridge.outbound.repository import OutboundRepository
from ondoc_bridge.outbound.schemas import OutboundRead, OutboundSummary


class LinkLike(Protocol):
    """What enqueueing a detach needs of a link."""

    id: uuid.UUID
    patient_id: uuid.UUID
    ondoc_patient_id: str


def item_values(
    *,
    item_id: uuid.UUID,
    kind: str,
    subject_id: uuid.UUID,
    patient_id: uuid.UUID,
    ondoc_patient_id: str,
    version: int,
    state: dict[str, Any],
    now: datetime,
) -> dict[str, Any]:
    """A queue row asking for `state` to be sent now."""
    return {
        "id": item_id,
        "kind": kind,
        "subject_id": subject_id,
        "patient_id": patient_id,
        "ondoc_patient_id": ondoc_patient_id,
        "version": version,
        "state": state,
        "status": PENDING,
        "attempts": 0,
        "last_error": None,
        "next_attempt_at": now,
        "queued_at": now,
        "created_at": now,
        "updated_at": now,
    }


async def enqueue_appointment(
    session: AsyncSession,
    *,
    appointment_id: uuid.UUID,
    patient_id: uuid.UUID,
    ondoc_patient_id: str,
    state: dict[str, Any],
    version: int,
    now: datetime,
) -> bool:
    """Ask for an appointment state to reach ONDOC (ignored when a newer one is queued or sent)."""
    values = item_values(
        item_id=appointment_id,
        kind=APPOINTMENT,
        subject_id=appointment_id,
        patient_id=patient_id,
        ondoc_patient_id=ondoc_patient_id,
        version=version,
        state=state,
        now=now,
    )
    return await OutboundRepository(session).upsert(values)


async def enqueue_detach(session: AsyncSession, *, link: LinkLike, reason: str | None, now: datetime) -> None:
    """Ask for ONDOC to detach the patient of an ended link."""
    values = item_values(
        item_id=link.id,
        kind=DETACH,
        subject_id=link.patient_id,
        patient_id=link.patient_id,
        ondoc_patient_id=link.ondoc_patient_id,
        version=1,
        state={"reason": reason},
        now=now,
    )
    await OutboundRepository(session).upsert(values)


async def existing(session: AsyncSession, item_id: uuid.UUID) -> OutboundItem | None:
    """The queue row of an appointment or link, if any."""
    return await OutboundRepository(session).get(item_id)


async def drop(session: AsyncSession, *, item_id: uuid.UUID, reason: str, now: datetime) -> None:
    """Stop an item that never went out."""
    await OutboundRepository(session).drop(item_id, reason=reason, now=now)


async def list_items(
    session: AsyncSession,
    *,
    status: str | None,
    kind: str | None,
    patient_id: uuid.UUID | None,
    limit: int,
    offset: int,
) -> tuple[list[OutboundRead], int]:
    """Queue items, the next to be tried first."""
    items, total = await OutboundRepository(session).search(
        status=status, kind=kind, patient_id=patient_id, limit=limit, offset=offset
    )
    return [OutboundRead.model_validate(item) for item in items], total


async def summary(session: AsyncSession) -> OutboundSummary:
    """Items per status (the queue depth is `pending`)."""
    counts, oldest = await OutboundRepository(session).counts()
    return OutboundSummary(**{status: counts.get(status, 0) for status in STATUSES}, oldest_pending_at=oldest)


async def requeue(session: AsyncSession, *, item_id: uuid.UUID, now: datetime) -> OutboundRead:
    """Try a failed or dropped item again."""
    repository = OutboundRepository(session)
    if not await repository.requeue(item_id, now=now):
        item = await repository.get(item_id)
        if item is None:
            raise NotFound("No such outbound item.")
        return OutboundRead.model_validate(item)
    item = await repository.get(item_id)
    assert item is not None
    await session.refresh(item)
    return OutboundRead.model_validate(item)
