"""GET /appointments/export.xlsx: the search grid's result as an Excel file (SCH-11)."""

from __future__ import annotations

import os
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import FileResponse
from starlette.background import BackgroundTask

from clinic_shared.auth import Principal, require
from clinic_shared.service import SessionDep
from scheduling import rights
from scheduling.appointments import search
from scheduling.deps import SettingsDep
from scheduling.export import service
from scheduling.export.xlsx import XLSX_MEDIA_TYPE
from scheduling.localtime import clinic_today, zone

router = APIRouter(prefix="/appointments", tags=["appointments"])
Exporter = Annotated[Principal, require(rights.EXPORT)]


@router.get("/export.xlsx", response_class=FileResponse)
async def export_xlsx(
    session: SessionDep, settings: SettingsDep, _: Exporter, filters: Annotated[search.AppointmentFilters, Query()]
) -> FileResponse:
    """The appointments GET /appointments finds with the same filters, as an .xlsx download."""
    tz = zone(settings.timezone)
    today = clinic_today(tz)
    found = search.criteria(filters, tz=tz, region=settings.phone_region)
    rows = await service.export_rows(
        session, found, max_rows=settings.export_max_rows, today=today, minor_age=settings.minor_age
    )
    path = await service.xlsx_file(rows, tz)
    return FileResponse(
        path,
        media_type=XLSX_MEDIA_TYPE,
        filename=service.file_name(today),
        content_disposition_type="attachment",
        background=BackgroundTask(os.unlink, path),
    )
