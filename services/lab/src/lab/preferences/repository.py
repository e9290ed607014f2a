"""SQL of the settings row and the workstation printers."""

from __future__ import annotations

from clinic_shared.db import insert_for
from clinic_shared.repository import RepositoryBase
from lab.preferences.models import SETTINGS_ROW_ID, LabPreferences, WorkstationPrinter


class PreferencesRepository(RepositoryBase[LabPreferences]):
    model = LabPreferences

    async def current(self) -> LabPreferences:
        """The settings row, created with defaults on first use."""
        row = await self.session.get(LabPreferences, SETTINGS_ROW_ID)
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
            ).on_conflict_do_nothing()
        )
        row = await self.session.get(LabPreferences, SETTINGS_ROW_ID)
        assert row is not None
        return row


class PrinterRepository(RepositoryBase[WorkstationPrinter]):
    model = WorkstationPrinter

    async def by_workstation(self, workstation_id: str) -> WorkstationPrinter | None:
        return await self.session.get(WorkstationPrinter, workstation_id)
