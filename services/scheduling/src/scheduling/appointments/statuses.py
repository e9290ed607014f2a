"""Statuses (SCH-8) and communication statuses set by the notifier (SCH-16).

A status whose directory item `sets_processed` marks the appointment processed; nothing
else can (a PATCH with `processed` is refused). Every status change is kept in the status
history, with its time and who did it.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.errors import Conflict, NotFound
from clinic_shared.events import EventEnvelope, NotificationOutcome
from clinic_shared.logging import get_logger
from scheduling.appointments import journal, rules
from scheduling.appointments.context import Actor, Context
from scheduling.appointments.models import Appointment, StatusHistory
from scheduling.appointments.repository import AppointmentRepository
from scheduling.directories import service as directories
from scheduling.directories.models import AppointmentStatus, CommunicationStatus
from scheduling.events import Publisher, publish_appointment

log = get_logger(__name__)
NOTIFIER = Actor(user_id=None, username="notifier")


def apply_status(session: AsyncSession, appointment: Appointment, status: AppointmentStatus, actor: Actor) -> None:
    """Set the status, keep its history row, mark processed when the status says so."""
    now = utcnow()
    appointment.status_id = status.id
    appointment.status_changed_at = now
    if status.sets_processed and not appointment.processed:
        appointment.processed = True
        appointment.processed_at = now
    session.add(
        StatusHistory(
            id=uuid.uuid4(),
            appointment_id=appointment.id,
            status_id=status.id,
            at=now,
            user_id=actor.user_id,
            username=actor.username,
        )
    )


async def change_status(ctx: Context, appointment_id: uuid.UUID, status_id: uuid.UUID) -> Appointment:
    """Set an appointment's status (POST /appointments/{id}/status); the same status changes nothing."""
    appointment = await AppointmentRepository(ctx.session).get(appointment_id, for_update=True)
    if appointment is None:
        raise NotFound(f"No appointment {appointment_id}.")
    ctx.check_version(appointment)
    refuse_if_deleted(appointment)
    status = await directories.require_item(
        ctx.session, AppointmentStatus, status_id, field="status_id", label="appointment status"
    )
    if appointment.status_id == status.id:
        return appointment
    before = journal.snapshot(appointment)
    apply_status(ctx.session, appointment, status, ctx.actor)
    ctx.touch(appointment)
    await ctx.session.flush()
    await journal.record(
        ctx.session,
        appointment,
        action="status_changed",
        changes=rules.diff(before, journal.snapshot(appointment)),
        user_id=ctx.actor.user_id,
        username=ctx.actor.username,
    )
    await publish_appointment(
        ctx.publisher, ctx.session, "appointment.status_changed", appointment, timezone=ctx.settings.timezone
    )
    log.info("scheduling.appointment.status_changed", appointment_id=str(appointment.id))
    return appointment


def refuse_if_deleted(appointment: Appointment) -> None:
    """409 for a change to an appointment in the trash."""
    if appointment.deleted:
        raise Conflict(
            "The appointment is in the trash; restore it first.", code="appointment-deleted", reason="deleted"
        )


async def apply_notification(
    session: AsyncSession, envelope: EventEnvelope, *, publisher: Publisher, timezone: str
) -> None:
    """`notification.sent` with a communication status → set it on the appointment (SCH-16)."""
    outcome = NotificationOutcome.model_validate(envelope.data)
    if outcome.appointment_id is None or outcome.communication_status_id is None:
        return
    appointment = await session.get(Appointment, outcome.appointment_id, with_for_update=True)
    if appointment is None or appointment.deleted:
        log.info("scheduling.notification.ignored", appointment_id=str(outcome.appointment_id), why="no appointment")
        return
    if await session.get(CommunicationStatus, outcome.communication_status_id) is None:
        # A mailing schedule naming a status we do not have: nothing to set, nothing to retry.
        log.warning("scheduling.notification.unknown_status", status_id=str(outcome.communication_status_id))
        return
    if appointment.communication_status_id == outcome.communication_status_id:
        return
    changes: list[dict[str, Any]] = [
        {
            "field": "communication_status_id",
            "from": str(appointment.communication_status_id) if appointment.communication_status_id else None,
            "to": str(outcome.communication_status_id),
        }
    ]
    appointment.communication_status_id = outcome.communication_status_id
    appointment.version += 1
    appointment.updated_at = utcnow()
    appointment.updated_by = None
    appointment.updated_by_username = NOTIFIER.username
    await session.flush()
    await journal.record(
        session, appointment, action="updated", changes=changes, user_id=None, username=NOTIFIER.username
    )
    await publish_appointment(publisher, session, "appointment.updated", appointment, timezone=timezone)
    log.info("scheduling.communication_status.set", appointment_id=str(appointment.id))
