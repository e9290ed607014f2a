"""/settings and /workstations/{id}/printer (LAB-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from clinic_shared.auth import require
from clinic_shared.concurrency import IfMatch, set_etag
from clinic_shared.service import SessionDep
from lab import rights
from lab.deps import SettingsEditor
from lab.preferences import service
from lab.preferences.schemas import LabSettingsRead, LabSettingsUpdate, PrinterRead, PrinterSettings

router = APIRouter(tags=["settings"])
WorkstationPath = Annotated[str, Path(min_length=1, max_length=100, description="an id the workstation sends")]


@router.get("/settings", dependencies=[require(rights.READ)])
async def get_lab_settings(session: SessionDep, response: Response) -> LabSettingsRead:
    """The lab settings, with their version in `ETag` (send it back in `If-Match` to change them)."""
    row = await service.get_preferences(session)
    set_etag(response, row)
    return service.settings_read(row)


@router.put("/settings")
async def put_lab_settings(
    data: LabSettingsUpdate,
    session: SessionDep,
    principal: SettingsEditor,
    response: Response,
    if_match: IfMatch = None,
) -> LabSettingsRead:
    """Change the lab settings (fields left out keep their value).

    `If-Match` with the settings' `ETag` is required (428 without it, 412 when they changed since)."""
    row = await service.update_preferences(session, data=data, principal=principal, if_match=if_match)
    set_etag(response, row)
    return service.settings_read(row)


@router.get("/workstations/{workstation_id}/printer", dependencies=[require(rights.READ)])
async def get_workstation_printer(
    workstation_id: WorkstationPath, session: SessionDep, response: Response
) -> PrinterRead:
    """The default barcode printer of a workstation (404 when none is set), its version in `ETag`."""
    printer = await service.get_printer(session, workstation_id=workstation_id)
    set_etag(response, printer)
    return service.printer_read(printer)


@router.put("/workstations/{workstation_id}/printer")
async def put_workstation_printer(
    workstation_id: WorkstationPath,
    data: PrinterSettings,
    session: SessionDep,
    principal: SettingsEditor,
    response: Response,
    if_match: IfMatch = None,
) -> PrinterRead:
    """Set the default barcode printer and label size of a workstation.

    Replacing a printer needs `If-Match` with its `ETag` (428 without it, 412 when it changed);
    the first printer of a workstation needs none."""
    printer = await service.put_printer(
        session, workstation_id=workstation_id, data=data, principal=principal, if_match=if_match
    )
    set_etag(response, printer)
    return service.printer_read(printer)
