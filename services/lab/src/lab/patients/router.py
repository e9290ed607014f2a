"""/patients/{id}: the lab's copy of a card, to check what orders will carry."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from clinic_shared.auth import require
from clinic_shared.errors import NotFound
from clinic_shared.service import SessionDep
from lab import rights
from lab.patients import service
from lab.patients.schemas import PatientRead
from lab.text import short_name

router = APIRouter(prefix="/patients", tags=["patients"])


@router.get("/{patient_id}", dependencies=[require(rights.READ)])
async def get_patient(patient_id: uuid.UUID, session: SessionDep) -> PatientRead:
    """The patient as projected from `patient.*` events (404 until the first one arrives)."""
    patient = await service.find_patient(session, patient_id)
    if patient is None:
        raise NotFound(f"Patient {patient_id} is not known to the lab service yet.")
    return PatientRead(
        id=patient.id,
        card_number=patient.card_number,
        short_name=short_name(patient.last_name, patient.first_name, patient.middle_name),
        birth_date=patient.birth_date,
        sex=patient.sex,
        deleted=patient.deleted,
        version=patient.version,
    )
