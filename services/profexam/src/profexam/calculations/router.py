"""/exams/{id}/calculations, /calculations/{id} and employees from a calculation (PRO-5)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, UploadFile, status

from clinic_shared.pagination import Page, PageDep
from clinic_shared.service import RuntimeDep, SessionDep
from profexam.calculations import imports, service
from profexam.calculations.schemas import (
    CalculationCreate,
    CalculationEmployees,
    CalculationImportReport,
    CalculationRead,
    CalculationSummary,
)
from profexam.deps import AuthorizationDep, Importer, Reader, ScopeDep, SettingsDep, Writer
from profexam.exams.router import patients_client
from profexam.exams.schemas import EmployeeRead
from profexam.imports.router import read_upload
from profexam.imports.schemas import CalculationMapping, parse_mapping

router = APIRouter(tags=["calculations"])

MAPPING_HELP = (
    'JSON: {"name": "Калькуляция", "position": "A", "department": "B", "headcount": "C", "harmful_factors": "D", '
    '"price": "E", "service_code": null, "first_row": 2, "last_row": null, "sheet": null}; omitted fields take '
    "these defaults; map service_code to price lines from the contract's price list (PRO-7)."
)


@router.get("/exams/{exam_id}/calculations")
async def list_calculations(
    exam_id: uuid.UUID, session: SessionDep, _: Reader, scope: ScopeDep, page: PageDep
) -> Page[CalculationSummary]:
    """An exam's calculations (without their lines)."""
    items, total = await service.list_calculations(
        session, exam_id=exam_id, limit=page.limit, offset=page.offset, scope=scope
    )
    return Page(items=[CalculationSummary.model_validate(c) for c in items], total=total)


@router.post("/exams/{exam_id}/calculations", status_code=status.HTTP_201_CREATED)
async def create_calculation(
    exam_id: uuid.UUID, data: CalculationCreate, session: SessionDep, principal: Writer, scope: ScopeDep
) -> CalculationRead:
    """A calculation typed in; the total is Σ price × headcount.

    A line with a `service_code` priced in the contract that applies to the exam takes that price (PRO-7).
    """
    calculation = await service.create_calculation(
        session, exam_id=exam_id, data=data, principal=principal, scope=scope
    )
    return await service.read_calculation(session, calculation)


@router.post("/exams/{exam_id}/calculations/imports")
async def import_calculation(
    exam_id: uuid.UUID,
    runtime: RuntimeDep,
    settings: SettingsDep,
    principal: Importer,
    scope: ScopeDep,
    file: Annotated[UploadFile, File(description="the calculation sheet (.xlsx)")],
    mapping: Annotated[str | None, Form(description=MAPPING_HELP)] = None,
    accept_partial: Annotated[bool, Query(description="keep the good rows, report the bad ones")] = False,
    dry_run: Annotated[bool, Query(description="check and report; store nothing")] = False,
) -> CalculationImportReport:
    """A calculation from Excel: position, department, headcount, factors and price columns."""
    parsed = parse_mapping(mapping, CalculationMapping)
    upload = await read_upload(file, settings)
    report = await imports.import_calculation(
        runtime=runtime,
        settings=settings,
        exam_id=exam_id,
        mapping=parsed,
        upload=upload,
        accept_partial=accept_partial,
        dry_run=dry_run,
        principal=principal,
        scope=scope,
    )
    return CalculationImportReport.model_validate(report)


@router.get("/calculations/{calculation_id}")
async def get_calculation(
    calculation_id: uuid.UUID, session: SessionDep, _: Reader, scope: ScopeDep
) -> CalculationRead:
    """A calculation with its lines."""
    calculation = await service.get_calculation(session, calculation_id=calculation_id, scope=scope)
    return await service.read_calculation(session, calculation)


@router.post("/calculations/{calculation_id}/employees", status_code=status.HTTP_201_CREATED)
async def add_employees_from_calculation(
    calculation_id: uuid.UUID,
    data: CalculationEmployees,
    session: SessionDep,
    runtime: RuntimeDep,
    settings: SettingsDep,
    authorization: AuthorizationDep,
    principal: Writer,
    scope: ScopeDep,
) -> Page[EmployeeRead]:
    """Add patients on the calculation's positions (factors from the line; headcounts respected)."""
    employees = await service.add_employees(
        session,
        calculation_id=calculation_id,
        data=data,
        patients=patients_client(runtime, settings, authorization),
        principal=principal,
        phone_region=settings.phone_region,
        scope=scope,
    )
    return Page(items=[EmployeeRead.model_validate(e) for e in employees], total=len(employees))
