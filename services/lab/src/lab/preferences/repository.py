"""SQL of the settings row and the workstation printers."""

from __future__ import annotations

from sqlalchemy import select

from clinic_shared.db import insert_for
from clinic_shared.repository import RepositoryBase
from lab.preferences.models import SETTINGS_ROW_ID, LabPreferences, WorkstationPrinter


class PreferencesRepository(RepositoryBase[LabPreferences]):
    model = LabPreferences

    async def current(self, *, for_update: bool = False) -> LabPreferences:
        """The settings row, created with defaults on first use (locked for an edit with `for_update`)."""
        row = await self._get(for_update)
        if row is not None:
            return row
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = insert_for(dialect)(LabPreferences)
        await self.session.execute(
            insert.values(
                id=SETTINGS_ROW_ID,
                use_new_laboratory=True,
                default_case={},
                create_on_charge=False,
                create_on_charge_lab_ids=[],
                send_automatically=False,
                version=1,
            ).on_conflict_do_nothing()
        )
        row = await self._get(for_update)
        assert row is not None
        return row

    async def _get(self, for_update: bool) -> LabPreferences | None:
        if not for_update:
            return await self.session.get(LabPreferences, SETTINGS_ROW_ID)
        statement = select(LabPreferences).where(LabPreferences.id == SETTINGS_ROW_ID).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()


class PrinterRepository(RepositoryBase[WorkstationPrinter]):
    model = WorkstationPrinter

    async def by_workstation(self, workstation_id: str, *, for_update: bool = False) -> WorkstationPrinter | None:
        if not for_update:
            return await self.session.get(WorkstationPrinter, workstation_id)
        statement = select(WorkstationPrinter).where(WorkstationPrinter.workstation_id == workstation_id)
        return (await self.session.execute(statement.with_for_update())).scalar_one_or_none()
