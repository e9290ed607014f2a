"""/lab-doctors (LAB-7)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from clinic_shared.auth import require
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from lab import rights
from lab.doctors import service
from lab.doctors.schemas import LabDoctorRead, LabDoctorSettings

router = APIRouter(prefix="/lab-doctors", tags=["lab-doctors"])


@router.get("", dependencies=[require(rights.READ)])
async def list_lab_doctors(session: SessionDep, page: PageDep) -> Page[LabDoctorRead]:
    """Lab doctors' access flags and labs."""
    doctors, total = await service.list_doctors(session, limit=page.limit, offset=page.offset)
    return Page(items=[LabDoctorRead.model_validate(d) for d in doctors], total=total)


@router.get("/{user_id}", dependencies=[require(rights.READ)])
async def get_lab_doctor(user_id: uuid.UUID, session: SessionDep) -> LabDoctorRead:
    """One user's lab doctor setting."""
    return LabDoctorRead.model_validate(await service.get_doctor(session, user_id=user_id))


@router.put("/{user_id}", dependencies=[require(rights.SETTINGS)])
async def put_lab_doctor(user_id: uuid.UUID, data: LabDoctorSettings, session: SessionDep) -> LabDoctorRead:
    """Give a user (the gateway's user id) lab access and a default lab."""
    return LabDoctorRead.model_validate(await service.put_doctor(session, user_id=user_id, data=data))


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT, dependencies=[require(rights.SETTINGS)])
async def delete_lab_doctor(user_id: uuid.UUID, session: SessionDep) -> Response:
    """Remove a user's lab doctor setting."""
    await service.delete_doctor(session, user_id=user_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
