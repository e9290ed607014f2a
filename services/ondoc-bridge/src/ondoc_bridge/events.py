"""What the bridge consumes (translation only) and publishes.

Consumes `patient.*` (card copies; a deleted card is detached from ONDOC) and
`appointment.*` (the outbound queue). Publishes `ondoc.attach_code_issued` (attach/service.py).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.events import AppointmentState, EventEnvelope, PatientState
from clinic_shared.outbox import Handler
from ondoc_bridge.appointments import service as appointments_service
from ondoc_bridge.cards import service as cards_service


async def on_patient(session: AsyncSession, envelope: EventEnvelope) -> None:
    """patient.created|updated|deleted|restored → card copy (and detach on delete)."""
    state = PatientState.model_validate(envelope.data)
    await cards_service.apply_patient_event(session, state=state, version=envelope.aggregate_version, now=utcnow())


async def on_appointment(session: AsyncSession, envelope: EventEnvelope) -> None:
    """appointment.* → the appointment copy and, for attached patients, the outbound queue."""
    state = AppointmentState.model_validate(envelope.data)
    await appointments_service.apply_appointment_state(
        session, state=state, version=envelope.aggregate_version, now=utcnow()
    )


HANDLERS: dict[str, Handler] = {
    "patient.created": on_patient,
    "patient.updated": on_patient,
    "patient.deleted": on_patient,
    "patient.restored": on_patient,
    "appointment.created": on_appointment,
    "appointment.updated": on_appointment,
    "appointment.deleted": on_appointment,
    "appointment.restored": on_appointment,
    "appointment.status_changed": on_appointment,
}
