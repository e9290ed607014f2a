"""/exams, /exams/{id}/employees and the exam list export (PRO-1, PRO-2, PRO-6)."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, Query, Response, status

from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from profexam.deps import AuthorizationDep, Reader, SettingsDep, Writer
from profexam.exams import service
from profexam.exams.repository import EmployeeRepository
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
    session: SessionDep, _: Reader, page: PageDep, organization_id: uuid.UUID | None = None
) -> Page[ExamRead]:
    """Exams, latest period first; filter by organisation."""
    items, total = await service.list_exams(
        session, organization_id=organization_id, limit=page.limit, offset=page.offset
    )
    return Page(items=[ExamRead.model_validate(e) for e in items], total=total)


@router.post("", status_code=status.HTTP_201_CREATED)
async def create_exam(data: ExamCreate, session: SessionDep, _: Writer) -> ExamRead:
    """Add an exam of an organisation for a period."""
    return ExamRead.model_validate(await service.create_exam(session, data=data))


@router.get("/{exam_id}")
async def get_exam(exam_id: uuid.UUID, session: SessionDep, _: Reader) -> ExamRead:
    """One exam."""
    return ExamRead.model_validate(await service.get_exam(session, exam_id=exam_id))


@router.patch("/{exam_id}")
async def update_exam(exam_id: uuid.UUID, data: ExamUpdate, session: SessionDep, _: Writer) -> ExamRead:
    """Change the name, period, kind or contract of an exam."""
    return ExamRead.model_validate(await service.update_exam(session, exam_id=exam_id, data=data))


@router.get("/{exam_id}/employees")
async def list_employees(
    exam_id: uuid.UUID,
    session: SessionDep,
    _: Reader,
    page: PageDep,
    q: Annotated[str | None, Query(max_length=100, description="part of the last name or position")] = None,
) -> Page[EmployeeRead]:
    """The exam's employees by name."""
    items, total = await service.list_employees(session, exam_id=exam_id, q=q, limit=page.limit, offset=page.offset)
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
) -> EmployeeRead:
    """Add an employee: `patient` makes a card in patients (or matches one), `patient_id` takes a card."""
    patients = patients_client(runtime, settings, authorization)
    employee = await service.add_employee(session, exam_id=exam_id, data=data, patients=patients, principal=principal)
    return EmployeeRead.model_validate(employee)


@router.delete("/{exam_id}/employees/{employee_id}", status_code=status.HTTP_204_NO_CONTENT)
async def remove_employee(exam_id: uuid.UUID, employee_id: uuid.UUID, session: SessionDep, _: Writer) -> Response:
    """Take an employee off the list; the card stays."""
    await service.remove_employee(session, exam_id=exam_id, employee_id=employee_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/{exam_id}/employees/export.xlsx", response_class=Response)
async def export_employees(exam_id: uuid.UUID, session: SessionDep, _: Reader) -> Response:
    """The exam's list as an Excel file in the import template's layout."""
    exam = await service.get_exam(session, exam_id=exam_id)
    employees = [e async for e in EmployeeRepository(session).stream_exam(exam.id)]
    content = await asyncio.to_thread(build_employee_list, employees)
    return Response(content, media_type=XLSX_MEDIA_TYPE, headers=attachment(f"exam-{exam.id}.xlsx"))
