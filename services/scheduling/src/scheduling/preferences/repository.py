"""SQL of the settings row and of the users' calendar views."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import insert_for, table_of, utcnow
from scheduling.preferences.models import DEFAULT_DAYS_SHOWN, SETTINGS_ROW_ID, BookingSettings, UserCalendarView


async def get_or_create(session: AsyncSession, *, for_update: bool = False) -> BookingSettings:
    """The settings row, created with the defaults on first use."""
    row = await session.get(BookingSettings, SETTINGS_ROW_ID, with_for_update=for_update or None)
    if row is not None:
        return row
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = insert_for(dialect)(table_of(BookingSettings))
    await session.execute(insert.values(id=SETTINGS_ROW_ID).on_conflict_do_nothing())
    row = await session.get(BookingSettings, SETTINGS_ROW_ID, with_for_update=for_update or None)
    assert row is not None
    return row


async def calendar_view(
    session: AsyncSession, user_id: uuid.UUID, *, for_update: bool = False
) -> UserCalendarView | None:
    """The user's saved calendar view, if they ever saved one (locked `for_update`)."""
    return await session.get(UserCalendarView, user_id, with_for_update=for_update or None)


async def calendar_view_for_update(session: AsyncSession, user_id: uuid.UUID) -> UserCalendarView:
    """The user's calendar view, locked, created with the defaults when they have none yet."""
    # INSERT … ON CONFLICT DO NOTHING, then read: two first saves of one user at once both
    # end on the one row instead of one of them failing on the primary key.
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = insert_for(dialect)(table_of(UserCalendarView))
    defaults = {"doctor_ids": [], "days_shown": DEFAULT_DAYS_SHOWN, "updated_at": utcnow()}
    await session.execute(insert.values(user_id=user_id, **defaults).on_conflict_do_nothing())
    row = await session.get(UserCalendarView, user_id, with_for_update=True, populate_existing=True)
    assert row is not None
    return row
