"""Lab doctors (LAB-7): who may use the lab module and which lab's orders they see."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match, check_if_match_or_absent
from clinic_shared.db import utcnow
from clinic_shared.errors import NotFound, ValidationFailed
from lab.doctors.models import LabDoctor
from lab.doctors.repository import LabDoctorRepository
from lab.doctors.schemas import LabDoctorSettings
from lab.labs.repository import LabRepository


async def list_doctors(session: AsyncSession, *, limit: int, offset: int) -> tuple[Sequence[LabDoctor], int]:
    """Every lab doctor setting."""
    return await LabDoctorRepository(session).page(limit=limit, offset=offset)


async def get_doctor(session: AsyncSession, *, user_id: uuid.UUID) -> LabDoctor:
    """One user's lab doctor setting; 404 when none."""
    doctor = await LabDoctorRepository(session).get(user_id)
    if doctor is None:
        raise NotFound(f"No lab doctor settings for user {user_id}.")
    return doctor


async def find_doctor(session: AsyncSession, *, user_id: uuid.UUID) -> LabDoctor | None:
    """One user's lab doctor setting, or None."""
    return await LabDoctorRepository(session).get(user_id)


async def put_doctor(
    session: AsyncSession,
    *,
    user_id: uuid.UUID,
    data: LabDoctorSettings,
    principal: Principal | None = None,
    if_match: str | None = None,
) -> LabDoctor:
    """Set a user's access flag and lab (an existing setting from the version `if_match` names)."""
    repository = LabDoctorRepository(session)
    doctor = await repository.by_user(user_id, for_update=True)
    check_if_match_or_absent(if_match, doctor, principal, required=True)
    if data.lab_id is not None and await LabRepository(session).get(data.lab_id) is None:
        raise ValidationFailed.field("lab_id", f"unknown laboratory {data.lab_id}", "unknown_lab")
    if doctor is None:
        doctor = LabDoctor(user_id=user_id)
        session.add(doctor)
    doctor.lab_id = data.lab_id
    doctor.has_access = data.has_access
    doctor.note = data.note
    doctor.updated_at = utcnow()
    await session.flush()
    return doctor


async def delete_doctor(
    session: AsyncSession, *, user_id: uuid.UUID, principal: Principal | None = None, if_match: str | None = None
) -> None:
    """Forget a user's lab doctor setting (the version `if_match` names)."""
    repository = LabDoctorRepository(session)
    doctor = await repository.by_user(user_id, for_update=True)
    if doctor is None:
        raise NotFound(f"No lab doctor settings for user {user_id}.")
    check_if_match(if_match, doctor, principal, required=True)
    await repository.delete(doctor)
