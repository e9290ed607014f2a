"""/tests: lab tests of the external labs (LAB-2)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.auth import require
from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import SessionDep
from lab import rights
from lab.deps import DirectoryEditor
from lab.lab_tests import service
from lab.lab_tests.repository import LabTestRepository
from lab.lab_tests.schemas import LabTestCreate, LabTestRead, LabTestUpdate, StudyTypeRead

router = APIRouter(prefix="/tests", tags=["tests"])


@router.get("", dependencies=[require(rights.READ)])
async def list_tests(
    session: SessionDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=200, description="words found in the code or name")] = None,
    lab_id: uuid.UUID | None = None,
    study_type: Annotated[str | None, Query(max_length=100)] = None,
    container_type: Annotated[str | None, Query(max_length=100)] = None,
    include_inactive: bool = False,
) -> Page[LabTestRead]:
    """Lab tests by name, filtered."""
    tests, total = await service.list_tests(
        session,
        q=q,
        lab_id=lab_id,
        study_type=study_type,
        container_type=container_type,
        include_inactive=include_inactive,
        limit=page.limit,
        offset=page.offset,
    )
    return Page(items=[LabTestRead.model_validate(test) for test in tests], total=total)


@router.post("", status_code=status.HTTP_201_CREATED, dependencies=[require(rights.DIRECTORIES)])
async def create_test(data: LabTestCreate, session: SessionDep) -> LabTestRead:
    """Add a lab test."""
    return LabTestRead.model_validate(await service.create_test(session, data=data))


@router.get("/study-types", dependencies=[require(rights.READ)])
async def list_study_types(session: SessionDep, lab_id: uuid.UUID | None = None) -> list[StudyTypeRead]:
    """The study types of active tests (a lab's, or all), to pick from when filtering `GET /tests`.

    Declared before `/{test_id}`, which would otherwise take the path.
    """
    rows = await LabTestRepository(session).study_types(lab_id)
    return [StudyTypeRead(name=name, tests=count) for name, count in rows]


@router.get("/{test_id}", dependencies=[require(rights.READ)])
async def get_test(test_id: uuid.UUID, session: SessionDep, response: Response) -> LabTestRead:
    """One lab test, its version in `ETag`."""
    test = await service.get_test(session, test_id=test_id)
    set_etag(response, test)
    return LabTestRead.model_validate(test)


@router.patch("/{test_id}")
async def update_test(
    test_id: uuid.UUID,
    data: LabTestUpdate,
    session: SessionDep,
    principal: DirectoryEditor,
    response: Response,
    if_match: IfMatch = None,
) -> LabTestRead:
    """Change a lab test; 412 when `If-Match` names another version."""
    test = await service.update_test(session, test_id=test_id, data=data, principal=principal, if_match=if_match)
    set_etag(response, test)
    return LabTestRead.model_validate(test)


@router.delete("/{test_id}", status_code=status.HTTP_204_NO_CONTENT)
async def delete_test(
    test_id: uuid.UUID, session: SessionDep, principal: DirectoryEditor, if_match: IfMatch = None
) -> Response:
    """Archive a lab test (`active: false`): orders and links keep it. 412 when `If-Match` names another version."""
    await service.archive_test(session, test_id=test_id, principal=principal, if_match=if_match)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
