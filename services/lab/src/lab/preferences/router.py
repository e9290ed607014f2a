"""/settings and /workstations/{id}/printer (LAB-1)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path

from clinic_shared.auth import require
from clinic_shared.service import SessionDep
from lab import rights
from lab.deps import SettingsEditor
from lab.preferences import service
from lab.preferences.schemas import LabSettingsRead, LabSettingsUpdate, PrinterRead, PrinterSettings

router = APIRouter(tags=["settings"])
WorkstationPath = Annotated[str, Path(min_length=1, max_length=100, description="an id the workstation sends")]


@router.get("/settings", dependencies=[require(rights.READ)])
async def get_lab_settings(session: SessionDep) -> LabSettingsRead:
    """The lab settings."""
    return service.settings_read(await service.get_preferences(session))


@router.put("/settings")
async def put_lab_settings(data: LabSettingsUpdate, session: SessionDep, principal: SettingsEditor) -> LabSettingsRead:
    """Change the lab settings (fields left out keep their value)."""
    return service.settings_read(await service.update_preferences(session, data=data, principal=principal))


@router.get("/workstations/{workstation_id}/printer", dependencies=[require(rights.READ)])
async def get_workstation_printer(workstation_id: WorkstationPath, session: SessionDep) -> PrinterRead:
    """The default barcode printer of a workstation (404 when none is set)."""
    return service.printer_read(await service.get_printer(session, workstation_id=workstation_id))


@router.put("/workstations/{workstation_id}/printer")
async def put_workstation_printer(
    workstation_id: WorkstationPath, data: PrinterSettings, session: SessionDep, principal: SettingsEditor
) -> PrinterRead:
    """Set the default barcode printer and label size of a workstation."""
    printer = await service.put_printer(session, workstation_id=workstation_id, data=data, principal=principal)
    return service.printer_read(printer)
