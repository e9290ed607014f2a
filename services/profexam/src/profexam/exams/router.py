"""/exams, /exams/{id}/employees and the exam list export (PRO-1, PRO-2, PRO-6)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from profexam.deps import AuthorizationDep, Reader, ScopeDep, SettingsDep, Writer
from profexam.exams import service
from profexam.exams.schemas import EmployeeCreate, EmployeeRead, ExamCreate, ExamRead, ExamUpdate
from profexam.imports.template import XLSX_MEDIA_TYPE, attachment, build_employee_list
from profexam.patients_client import PatientsClient

router = APIRouter(prefix="/exams", tags=["exams"])


def patients_client(runtime: RuntimeDep, settings: SettingsDep, authorization: str) -> PatientsClient:
    """The patients API acting as the calling user."""
    return PatientsClient(
        lambda: runtime.peer("patients", authorization=authorization),
        authorization,
        batch_size=settings.import_card_batch_size,
        concurrency=settings.import_card_concurrency,
        batches_in_flight=settings.import_card_batches_in_flight,
    )


@router.get("")
async def list_exams(
    session: SessionDep, _: Reader, scope: ScopeDep, page: PageDep, organization_id: uuid.UUID | None = None
) -> Page[ExamRead]:
    """Exams, latest period first; filter by organisation (a limited user sees their organisations' only)."""
    items, total = await service.list_exams(
        session, organization_id=organization_id, limit=page.limit, offset=page.offset, scope=scope
    )
    return Page(items=[ExamRead.model_validate(e) for e in items], total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_exam(data: ExamCreate, session: SessionDep, _: Writer, scope: ScopeDep) -> ExamRead:
    """Add an exam of an organisation for a period."""
    return ExamRead.model_validate(await service.create_exam(session, data=data, scope=scope))


@router.get("/{exam_id}")
async def get_exam(exam_id: uuid.UUID, session: SessionDep, _: Reader, scope: ScopeDep, response: Response) -> ExamRead:
    """One exam, its version in `ETag`."""
    exam = await service.get_exam(session, exam_id=exam_id, scope=scope)
    set_etag(response, exam)
    return ExamRead.model_validate(exam)


@router.patch("/{exam_id}")
async def update_exam(
    exam_id: uuid.UUID,
    data: ExamUpdate,
    session: SessionDep,
    principal: Writer,
    scope: ScopeDep,
    response: Response,
    if_match: IfMatch = None,
) -> ExamRead:
    """Change the name, period, kind or contract of an exam; 412 when `If-Match` names another version."""
    exam = await service.update_exam(
        session, exam_id=exam_id, data=data, scope=scope, principal=principal, if_match=if_match
    )
    set_etag(response, exam)
    return ExamRead.model_validate(exam)


@router.get("/{exam_id}/employees")
async def list_employees(
    exam_id: uuid.UUID,
    session: SessionDep,
    _: Reader,
    scope: ScopeDep,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100, description="part of the last name or position")] = None,
) -> Page[EmployeeRead]:
    """The exam's employees by name."""
    items, total = await service.list_employees(
        session, exam_id=exam_id, q=q, limit=page.limit, offset=page.offset, scope=scope
    )
    return Page(items=[EmployeeRead.model_validate(e) for e in items], total=total)


@router.post("/{exam_id}/employees", status_code=status.HTTP_201_CREATED)
async def add_employee(
    exam_id: uuid.UUID,
    data: EmployeeCreate,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    authorization: AuthorizationDep,
    principal: Writer,
    scope: ScopeDep,
    response: Response,
) -> EmployeeRead:
    """Add an employee: `patient` makes a card in patients (or matches one), `patient_id` takes a card.

    A new card's phone is normalised as patients does it (`CLINIC_PHONE_REGION`); a bad one is
    422 on `patient.mobile_phone` with patients' message, before any card is made.
    """
    patients = patients_client(runtime, settings, authorization)
    employee = await service.add_employee(
        session,
        exam_id=exam_id,
        data=data,
        patients=patients,
        principal=principal,
        phone_region=settings.phone_region,
        scope=scope,
    )
    set_etag(response, employee)
    return EmployeeRead.model_validate(employee)


@router.delete("/{exam_id}/employees/{employee_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_employee(
    exam_id: uuid.UUID,
    employee_id: uuid.UUID,
    session: SessionDep,
    principal: Writer,
    scope: ScopeDep,
    if_match: IfMatch = None,
) -> Response:
    """Take an employee off the list; the card stays. 412 when `If-Match` names another version
    (the `ETag` its addition answered)."""
    await service.remove_employee(
        session, exam_id=exam_id, employee_id=employee_id, scope=scope, principal=principal, if_match=if_match
    )
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{exam_id}/employees/export.xlsx", response_class=Response)
async def export_employees(
    exam_id: uuid.UUID,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    authorization: AuthorizationDep,
    _: Reader,
    scope: ScopeDep,
) -> Response:
    """The exam's list as an Excel file in the import template's layout, plus the card number.

    Card numbers profexam does not know yet are fetched from patients as the calling user and
    kept; when patients cannot tell (no `patients.read`, unavailable) those cells stay empty.
    """
    exam = await service.get_exam(session, exam_id=exam_id, scope=scope)
    employees, numbers = await service.export_rows(
        session, exam_id=exam.id, patients=patients_client(runtime, settings, authorization)
    )
    content = await asyncio.to_thread(build_employee_list, employees, numbers)
    return Response(content, media_type=XLSX_MEDIA_TYPE, headers=attachment(f"exam-{exam.id}.xlsx"))
