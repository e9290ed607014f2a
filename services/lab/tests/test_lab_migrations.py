"""The lab migrations (up to the exchange cancellation columns) build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection

from clinic_shared.db import Database
from clinic_shared.migrations import upgrade
from lab.app import MIGRATIONS
from lab.models import Base, load_models
from lab.settings import LabSettings


def _diff(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(
        connection,
        opts={"compare_type": True, "include_object": lambda o, n, t, r, c: t != "table" or n in Base.metadata.tables},
    )
    return compare_metadata(context, Base.metadata)


async def test_migrations_match_the_models(settings_overrides: dict[str, Any]) -> None:
    load_models()
    db = Database(LabSettings(**settings_overrides))
    try:
        await upgrade(db, MIGRATIONS)
        async with db.engine.connect() as connection:
            assert await connection.run_sync(_diff) == []
    finally:
        await db.dispose()
