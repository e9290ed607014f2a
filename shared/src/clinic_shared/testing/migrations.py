"""Migration drift: what differs between the tables a service's models declare and what its
Alembic migrations build (one helper for every service's test)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData

from clinic_shared.db import Database
from clinic_shared.migrations import upgrade


async def schema_drift(db: Database, metadata: MetaData, migrations: Path | str) -> list[Any]:
    """Upgrade `db` with `migrations`, then compare it with `metadata` (types included): the
    differences Alembic's autogenerate would write, [] when the migrations match the models.
    Tables the models do not declare (e.g. Alembic's version table) are left out."""
    await upgrade(db, migrations)

    def diff(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, kind, reflected, compare_to: (
                    kind != "table" or name in metadata.tables
                ),
            },
        )
        return cast(list[Any], compare_metadata(context, metadata))  # alembic's result is untyped

    async with db.engine.connect() as connection:
        return await connection.run_sync(diff)
