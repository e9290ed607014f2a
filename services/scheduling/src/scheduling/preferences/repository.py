"""SQL of the settings row."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import insert_for
from scheduling.preferences.models import SETTINGS_ROW_ID, BookingSettings


async def get_or_create(session: AsyncSession, *, for_update: bool = False) -> BookingSettings:
    """The settings row, created with the defaults on first use."""
    row = await session.get(BookingSettings, SETTINGS_ROW_ID, with_for_update=for_update or None)
    if row is not None:
        return row
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = insert_for(dialect)(BookingSettings.__table__)
    await session.execute(insert.values(id=SETTINGS_ROW_ID).on_conflict_do_nothing())
    row = await session.get(BookingSettings, SETTINGS_ROW_ID, with_for_update=for_update or None)
    assert row is not None
    return row
