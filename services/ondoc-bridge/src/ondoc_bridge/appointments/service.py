"""Applying appointment.* events and queueing what ONDOC must learn (OND-4, OND-6)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.events import AppointmentState
from clinic_shared.logging import get_logger
from ondoc_bridge.appointments import rules
from ondoc_bridge.appointments.repository import AppointmentRepository
from ondoc_bridge.links.repository import LinkRepository
from ondoc_bridge.outbound import service as outbound_service

log = get_logger(__name__)


async def apply_appointment_state(
    session: AsyncSession, *, state: AppointmentState, version: int, now: datetime
) -> None:
    """Keep the newest state of the appointment and queue it for ONDOC when it concerns an
    attached patient. An older or repeated state changes nothing."""
    applied = await AppointmentRepository(session).upsert_if_newer(
        {
            "id": state.id,
            "patient_id": state.patient_id,
            "start_at": state.start,
            "deleted": state.deleted,
            "version": version,
            "state": state.model_dump(mode="json"),
        }
    )
    if not applied:
        return
    link = None
    if state.patient_id is not None:
        found = await LinkRepository(session).attached_for_patient(state.patient_id)
        if found is not None:
            link = rules.Link(found.patient_id, found.ondoc_patient_id)
    row = await outbound_service.existing(session, state.id)
    queued = rules.Queued(row.patient_id, row.ondoc_patient_id, row.sent_version) if row is not None else None
    action = rules.outbound_action(state, link=link, queued=queued)
    if isinstance(action, rules.Push):
        await outbound_service.enqueue_appointment(
            session,
            appointment_id=state.id,
            patient_id=action.patient_id,
            ondoc_patient_id=action.ondoc_patient_id,
            state=action.state,
            version=version,
            now=now,
        )
        log.info("ondoc.appointment.queued", appointment_id=str(state.id), version=version)
    elif isinstance(action, rules.Drop):
        await outbound_service.drop(session, item_id=state.id, reason=action.reason, now=now)


async def queue_upcoming(session: AsyncSession, *, patient_id: uuid.UUID, ondoc_patient_id: str, now: datetime) -> int:
    """Queue a newly attached patient's upcoming appointments for ONDOC."""
    count = 0
    for appointment in await AppointmentRepository(session).upcoming_of(patient_id, since=now):
        count += await outbound_service.enqueue_appointment(
            session,
            appointment_id=appointment.id,
            patient_id=patient_id,
            ondoc_patient_id=ondoc_patient_id,
            state=appointment.state,
            version=appointment.version,
            now=now,
        )
    return count
