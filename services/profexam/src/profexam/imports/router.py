"""/exams/{id}/imports, /imports/{id} and /import-template.xlsx (PRO-3, PRO-6)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Response, UploadFile, status
from fastapi.responses import JSONResponse

from clinic_shared.service import RuntimeDep, SessionDep
from profexam.deps import AuthorizationDep, Importer, Reader, ScopeDep, SettingsDep
from profexam.exams.router import patients_client
from profexam.imports import service
from profexam.imports.schemas import EmployeeMapping, ImportReport, ImportRunRead, parse_mapping
from profexam.imports.template import XLSX_MEDIA_TYPE, attachment, build_template
from profexam.settings import ProfexamSettings

router = APIRouter(tags=["imports"])

MAPPING_HELP = (
    'JSON: {"last_name": "A", "first_name": "B", "middle_name": "C", "birth_date": "D", "sex": "E", "phone": "F", '
    '"position": "G", "department": "H", "harmful_factors": "I", "exam_type": "J", "working_conditions": "K", '
    '"first_row": 2, "last_row": null, "sheet": null, "calculation_id": null}. Omitted fields take these defaults '
    "(the template's layout); null leaves a column out."
)


async def read_upload(file: UploadFile, settings: ProfexamSettings) -> service.Upload:
    """The uploaded bytes, refusing an oversized file before reading it."""
    service.check_upload_size(file.size, settings)
    content = await file.read(settings.import_max_file_bytes + 1)
    service.check_upload_size(len(content), settings)
    return service.Upload(content=content, file_name=(file.filename or "")[:300] or None)


@router.post(
    "/exams/{exam_id}/imports",
    responses={
        200: {"model": ImportReport, "description": "imported at once: the report"},
        202: {"model": ImportRunRead, "description": "a large file: imported as a job, follow /imports/{id}"},
    },
)
async def import_employees(
    exam_id: uuid.UUID,
    runtime: RuntimeDep,
    settings: SettingsDep,
    authorization: AuthorizationDep,
    principal: Importer,
    scope: ScopeDep,
    file: Annotated[UploadFile, File(description="the employee list (.xlsx)")],
    mapping: Annotated[str | None, Form(description=MAPPING_HELP)] = None,
    accept_partial: Annotated[bool, Query(description="import the good rows, report the bad ones")] = False,
    dry_run: Annotated[bool, Query(description="check and report; write nothing")] = False,
) -> Response:
    """Import employees from Excel: all-or-nothing by default; large files run as a job (202)."""
    parsed = parse_mapping(mapping, EmployeeMapping)
    upload = await read_upload(file, settings)
    started = await service.start_import(
        runtime=runtime,
        settings=settings,
        exam_id=exam_id,
        mapping=parsed,
        upload=upload,
        options=service.ImportOptions(accept_partial=accept_partial, dry_run=dry_run),
        patients=patients_client(runtime, settings, authorization),
        principal=principal,
        scope=scope,
    )
    if started.report is None:
        body = ImportRunRead.model_validate(started.run, from_attributes=True).model_dump(mode="json")
        # Relative to .../exams/{id}/imports, so it holds behind the gateway's prefix too.
        location = f"../../imports/{started.run.id}"
        return JSONResponse(body, status_code=status.HTTP_202_ACCEPTED, headers={"Location": location})
    body_report: dict[str, Any] = {"id": str(started.run.id), **started.report}
    return JSONResponse(body_report, status_code=status.HTTP_200_OK)


@router.get("/imports/{import_id}")
async def get_import(
    import_id: uuid.UUID, session: SessionDep, settings: SettingsDep, _: Reader, scope: ScopeDep
) -> ImportRunRead:
    """An import's status, progress ({stage, processed, total}) and, when done, its report."""
    run = await service.get_run(
        session, run_id=import_id, stale_after=timedelta(seconds=settings.import_job_stale_seconds), scope=scope
    )
    return ImportRunRead.model_validate(run, from_attributes=True)


@router.get("/import-template.xlsx", response_class=Response)
async def import_template(_: Reader) -> Response:
    """The empty employee list with a help sheet for every column and code."""
    content = await asyncio.to_thread(build_template)
    return Response(content, media_type=XLSX_MEDIA_TYPE, headers=attachment("profexam-import-template.xlsx"))
