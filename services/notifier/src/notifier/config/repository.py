"""SQL of the settings row."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from notifier.config.models import SETTINGS_ROW_ID, NotifierSettingsRow


class SettingsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, *, for_update: bool = False) -> NotifierSettingsRow | None:
        statement = select(NotifierSettingsRow).where(NotifierSettingsRow.id == SETTINGS_ROW_ID)
        if for_update:
            statement = statement.with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def add(self, row: NotifierSettingsRow) -> None:
        self.session.add(row)
        await self.session.flush()
