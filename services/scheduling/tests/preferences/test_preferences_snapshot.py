"""The settings a process uses are a copy at most `SNAPSHOT_SECONDS` old: a change made
through this process is used at once, one made by another replica within that time."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import update

from clinic_shared.auth import Principal
from clinic_shared.db import Database
from scheduling.preferences import service
from scheduling.preferences.models import BookingSettings
from scheduling.preferences.schemas import PreferencesUpdate

ADMIN = Principal(user_id=uuid.uuid4(), username="admin", rights=frozenset({"*"}))


async def grid_step(db: Database) -> int:
    async with db.session() as session:
        return (await service.current(session)).grid_step_minutes


async def test_a_change_made_through_this_process_is_used_by_the_next_request(db: Database) -> None:
    assert await grid_step(db) == 15
    async with db.session() as session:
        await service.update(session, principal=ADMIN, data=PreferencesUpdate(grid_step_minutes=20), if_match="*")
    assert await grid_step(db) == 20


async def test_a_change_made_by_another_replica_is_used_within_the_snapshot_time(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert await grid_step(db) == 15
    async with db.session() as session:  # another replica writes the row
        await session.execute(update(BookingSettings).values(grid_step_minutes=30))
    assert await grid_step(db) == 15  # this process's copy is still young
    later = service.time.monotonic() + service.SNAPSHOT_SECONDS
    monkeypatch.setattr(service.time, "monotonic", lambda: later)
    assert await grid_step(db) == 30


async def test_the_settings_screen_shows_the_row_as_stored_now(db: Database) -> None:
    await grid_step(db)
    async with db.session() as session:
        await session.execute(update(BookingSettings).values(grid_step_minutes=30, updated_by_username="other"))
    async with db.session() as session:
        shown = service.present(await service.stored(session), timezone="Europe/Moscow")
    assert (shown.grid_step_minutes, shown.updated_by_username) == (30, "other")
