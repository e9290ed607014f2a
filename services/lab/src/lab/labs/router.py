"""/labs: the external labs directory (LAB-2)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status

from clinic_shared.auth import require
from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from lab import rights
from lab.deps import DirectoryEditor, SettingsDep
from lab.labs import service
from lab.labs.schemas import LabCreate, LabRead, LabUpdate

router = APIRouter(prefix="/labs", tags=["labs"])


@router.get("", dependencies=[require(rights.READ)])
async def list_labs(session: SessionDep, page: PageDep, include_inactive: bool = False) -> Page[LabRead]:
    """External labs by name."""
    labs, total = await service.list_labs(
        session, include_inactive=include_inactive, limit=page.limit, offset=page.offset
    )
    return Page(items=[LabRead.model_validate(lab) for lab in labs], total=total)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[require(rights.DIRECTORIES)])
async def create_lab(data: LabCreate, session: SessionDep, settings: SettingsDep) -> LabRead:
    """Add an external lab. An exchange URL on a loopback, private or link-local address is
    refused (422) unless the operator allows private targets (CLINIC_OUTBOUND_ALLOW_PRIVATE)."""
    lab = await service.create_lab(session, data=data, allow_private=settings.outbound_allow_private)
    return LabRead.model_validate(lab)


@router.get("/{lab_id}", dependencies=[require(rights.READ)])
async def get_lab(lab_id: uuid.UUID, session: SessionDep, response: Response) -> LabRead:
    """One lab, its version in `ETag`."""
    lab = await service.get_lab(session, lab_id=lab_id)
    set_etag(response, lab)
    return LabRead.model_validate(lab)


@router.patch("/{lab_id}")
async def update_lab(
    lab_id: uuid.UUID,
    data: LabUpdate,
    session: SessionDep,
    settings: SettingsDep,
    principal: DirectoryEditor,
    response: Response,
    if_match: IfMatch = None,
) -> LabRead:
    """Change a lab (an exchange URL is checked as when a lab is added); 412 when `If-Match` names
    another version."""
    lab = await service.update_lab(
        session,
        lab_id=lab_id,
        data=data,
        allow_private=settings.outbound_allow_private,
        principal=principal,
        if_match=if_match,
    )
    set_etag(response, lab)
    return LabRead.model_validate(lab)


@router.delete("/{lab_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_lab(
    lab_id: uuid.UUID, session: SessionDep, principal: DirectoryEditor, if_match: IfMatch = None
) -> Response:
    """Archive a lab (`active: false`): its orders and tests stay. 412 when `If-Match` names another version."""
    await service.archive_lab(session, lab_id=lab_id, principal=principal, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
