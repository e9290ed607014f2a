"""/lab-doctors (LAB-7)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from clinic_shared.auth import require
from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from lab import rights
from lab.deps import SettingsEditor
from lab.doctors import service
from lab.doctors.schemas import LabDoctorRead, LabDoctorSettings

router = APIRouter(prefix="/lab-doctors", tags=["lab-doctors"])


@router.get("", dependencies=[require(rights.READ)])
async def list_lab_doctors(session: SessionDep, page: PageDep) -> Page[LabDoctorRead]:
    """Lab doctors' access flags and labs."""
    doctors, total = await service.list_doctors(session, limit=page.limit, offset=page.offset)
    return Page(items=[LabDoctorRead.model_validate(d) for d in doctors], total=total)


@router.get("/{user_id}", dependencies=[require(rights.READ)])
async def get_lab_doctor(user_id: uuid.UUID, session: SessionDep, response: Response) -> LabDoctorRead:
    """One user's lab doctor setting, its version in `ETag`."""
    doctor = await service.get_doctor(session, user_id=user_id)
    set_etag(response, doctor)
    return LabDoctorRead.model_validate(doctor)


@router.put("/{user_id}")
async def put_lab_doctor(
    user_id: uuid.UUID,
    data: LabDoctorSettings,
    session: SessionDep,
    principal: SettingsEditor,
    response: Response,
    if_match: IfMatch = None,
) -> LabDoctorRead:
    """Give a user (the gateway's user id) lab access and a default lab.

    Changing an existing setting needs `If-Match` with its `ETag` (428 without it, 412 when it
    changed); the first one of a user needs none."""
    doctor = await service.put_doctor(session, user_id=user_id, data=data, principal=principal, if_match=if_match)
    set_etag(response, doctor)
    return LabDoctorRead.model_validate(doctor)


@router.delete("/{user_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_lab_doctor(
    user_id: uuid.UUID, session: SessionDep, principal: SettingsEditor, if_match: IfMatch = None
) -> Response:
    """Remove a user's lab doctor setting (`If-Match` required: 428 without it, 412 when it changed)."""
    await service.delete_doctor(session, user_id=user_id, principal=principal, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
