"""Lab settings (LAB-1): read, change, and the printer of each workstation."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import check_if_match, check_if_match_or_absent
from clinic_shared.db import utcnow
from clinic_shared.errors import NotFound, ValidationFailed
from lab.labs.repository import LabRepository
from lab.preferences.models import LabPreferences, WorkstationPrinter
from lab.preferences.repository import PreferencesRepository, PrinterRepository
from lab.preferences.schemas import DefaultCase, LabSettingsRead, LabSettingsUpdate, PrinterRead, PrinterSettings


async def get_preferences(session: AsyncSession) -> LabPreferences:
    """The clinic's lab settings."""
    return await PreferencesRepository(session).current()


def settings_read(row: LabPreferences) -> LabSettingsRead:
    """The settings as the API shows them."""
    return LabSettingsRead(
        use_new_laboratory=row.use_new_laboratory,
        default_case=DefaultCase.model_validate(row.default_case or {}),
        create_on_charge=row.create_on_charge,
        create_on_charge_lab_ids=[uuid.UUID(str(lab_id)) for lab_id in row.create_on_charge_lab_ids or []],
        send_automatically=row.send_automatically,
        updated_at=row.updated_at,
        updated_by_username=row.updated_by_username,
    )


async def update_preferences(
    session: AsyncSession, *, data: LabSettingsUpdate, principal: Principal, if_match: str | None = None
) -> LabPreferences:
    """Change the fields sent, made from the version `if_match` names (required of users); the
    labs chosen for charges must exist."""
    row = await PreferencesRepository(session).current(for_update=True)
    check_if_match(if_match, row, principal, required=True)
    if data.create_on_charge_lab_ids is not None:
        labs = LabRepository(session)
        for index, lab_id in enumerate(data.create_on_charge_lab_ids):
            if await labs.get(lab_id) is None:
                raise ValidationFailed.field(
                    f"create_on_charge_lab_ids.{index}", f"unknown laboratory {lab_id}", "unknown_lab"
                )
        row.create_on_charge_lab_ids = [str(lab_id) for lab_id in dict.fromkeys(data.create_on_charge_lab_ids)]
    if data.use_new_laboratory is not None:
        row.use_new_laboratory = data.use_new_laboratory
    if data.create_on_charge is not None:
        row.create_on_charge = data.create_on_charge
    if data.send_automatically is not None:
        row.send_automatically = data.send_automatically
    if data.default_case is not None:
        row.default_case = data.default_case.model_dump(mode="json", exclude_none=True)
    row.updated_at = utcnow()
    row.updated_by_username = principal.username
    row.version += 1
    await session.flush()
    return row


async def get_printer(session: AsyncSession, *, workstation_id: str) -> WorkstationPrinter:
    """The printer of a workstation; 404 when none was set."""
    printer = await PrinterRepository(session).by_workstation(workstation_id)
    if printer is None:
        raise NotFound(f"No barcode printer is set for workstation {workstation_id!r}.")
    return printer


async def find_printer(session: AsyncSession, *, workstation_id: str | None) -> WorkstationPrinter | None:
    """The printer of a workstation, or None (no id, or none set)."""
    if not workstation_id:
        return None
    return await PrinterRepository(session).by_workstation(workstation_id)


async def put_printer(
    session: AsyncSession,
    *,
    workstation_id: str,
    data: PrinterSettings,
    principal: Principal,
    if_match: str | None = None,
) -> WorkstationPrinter:
    """Set (or replace, from the version `if_match` names) the default printer of a workstation."""
    repository = PrinterRepository(session)
    printer = await repository.by_workstation(workstation_id, for_update=True)
    check_if_match_or_absent(if_match, printer, principal, required=True)
    if printer is None:
        printer = WorkstationPrinter(workstation_id=workstation_id)
        session.add(printer)
    printer.printer_name = data.printer_name
    printer.dpi = data.dpi
    printer.label_width_mm = data.label_width_mm
    printer.label_height_mm = data.label_height_mm
    printer.updated_at = utcnow()
    printer.updated_by = principal.user_id
    await session.flush()
    return printer


def printer_read(printer: WorkstationPrinter) -> PrinterRead:
    """A printer row as the API shows it."""
    return PrinterRead(
        workstation_id=printer.workstation_id,
        printer_name=printer.printer_name,
        dpi=printer.dpi,  # type: ignore[arg-type]  # a text column holding only the schema's values (the service writes no other)
        label_width_mm=printer.label_width_mm,
        label_height_mm=printer.label_height_mm,
        updated_at=printer.updated_at,
    )
