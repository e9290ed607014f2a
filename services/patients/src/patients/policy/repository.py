"""SQL of the card settings row."""

from __future__ import annotations

from sqlalchemy import select

from clinic_shared.db import insert_for, table_of
from clinic_shared.repository import RepositoryBase
from patients.policy.models import SETTINGS_ROW_ID, CardSettings


class CardSettingsRepository(RepositoryBase[CardSettings]):
    model = CardSettings

    async def current(self, *, for_update: bool = False) -> CardSettings:
        """The settings row, created with defaults on first use (safe when replicas race)."""
        statement = select(CardSettings).where(CardSettings.id == SETTINGS_ROW_ID)
        if for_update:
            statement = statement.with_for_update()
        row = (await self.session.execute(statement)).scalar_one_or_none()
        if row is not None:
            return row
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = insert_for(dialect)(table_of(CardSettings))
        await self.session.execute(
            insert.values(
                id=SETTINGS_ROW_ID, required_fields_enabled=False, sex_endings_seeded=False
            ).on_conflict_do_nothing()
        )
        return (await self.session.execute(statement)).scalar_one()
