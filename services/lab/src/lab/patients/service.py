"""Keeping the patients projection and reading from it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import table_of
from clinic_shared.errors import ValidationFailed
from clinic_shared.events import EventEnvelope, PatientState
from clinic_shared.logging import get_logger
from clinic_shared.outbox import upsert_if_newer
from lab.patients.models import PatientProjection

log = get_logger(__name__)


async def apply_patient_event(session: AsyncSession, envelope: EventEnvelope) -> None:
    """`patient.created|updated|deleted|restored`: keep the newest version of the card."""
    state = PatientState.model_validate(envelope.data)
    await upsert_if_newer(
        session,
        table_of(PatientProjection),
        {
            "id": state.id,
            "card_number": state.card_number,
            "last_name": state.last_name,
            "first_name": state.first_name,
            "middle_name": state.middle_name,
            "birth_date": state.birth_date,
            "sex": state.sex,
            "deleted": state.deleted,
            "version": envelope.aggregate_version,
        },
    )


async def find_patient(session: AsyncSession, patient_id: uuid.UUID) -> PatientProjection | None:
    """The projected card, deleted or not."""
    return await session.get(PatientProjection, patient_id)


async def require_patient(
    session: AsyncSession, *, patient_id: uuid.UUID, field: str = "patient_id"
) -> PatientProjection:
    """A live patient for a new order; 422 naming `field` when unknown or deleted."""
    patient = await find_patient(session, patient_id)
    if patient is None:
        raise ValidationFailed.field(field, f"unknown patient {patient_id}", "unknown_patient")
    if patient.deleted:
        raise ValidationFailed.field(field, f"patient {patient_id} is deleted", "patient_deleted")
    return patient
