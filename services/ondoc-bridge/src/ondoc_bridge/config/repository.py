"""SQL of the settings row."""

from __future__ import annotations

from sqlalchemy import select

from clinic_shared.db import insert_for, rows_affected, table_of
from clinic_shared.repository import RepositoryBase
from ondoc_bridge.config.models import CONFIG_ROW_ID, OndocConfig


class ConfigRepository(RepositoryBase[OndocConfig]):
    model = OndocConfig

    async def current(self, *, for_update: bool = False) -> OndocConfig | None:
        """The settings row, if it exists."""
        statement = select(OndocConfig).where(OndocConfig.id == CONFIG_ROW_ID)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def insert_if_missing(self, values: dict[str, object]) -> bool:
        """Insert the settings row unless one exists (several replicas may start at once)."""
        dialect = self.session.bind.dialect.name if self.session.bind else "sqlite"
        insert = insert_for(dialect)(table_of(OndocConfig))
        result = await self.session.execute(
            insert.values(id=CONFIG_ROW_ID, **values).on_conflict_do_nothing(index_elements=["id"])
        )
        return bool(rows_affected(result))
