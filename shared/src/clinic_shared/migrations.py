"""Alembic per service: each schema has its own version table, applied the same way in both modes."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, text
from sqlalchemy.engine import Connection

from clinic_shared.db import Database
from clinic_shared.settings import ServiceSettings


def alembic_config(script_location: str | Path, schema: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(script_location))
    config.attributes["schema"] = schema
    return config


async def upgrade(db: Database, script_location: str | Path, revision: str = "head") -> None:
    """Apply the service's migrations; safe when several replicas start at once."""
    await db.ensure_schema()
    config = alembic_config(script_location, db.schema)
    async with db.engine.begin() as conn:
        if db.is_postgres:
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": "migrate:" + db.schema})
        await conn.run_sync(_run_upgrade, config, revision)


def _run_upgrade(connection: Connection, config: Config, revision: str) -> None:
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def run_env(context: Any, metadata: MetaData, settings_factory: type[ServiceSettings]) -> None:
    """Body of every service's `migrations/env.py` (programmatic or `alembic` CLI)."""
    config = context.config
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(context, connection, metadata, config.attributes.get("schema"))
        return
    # CLI: `alembic -c services/<name>/alembic.ini upgrade head` with CLINIC_DATABASE_URL set.
    settings = settings_factory()
    db = Database(settings)

    async def _cli() -> None:
        await db.ensure_schema()
        async with db.engine.begin() as conn:
            await conn.run_sync(lambda c: _configure_and_run(context, c, metadata, db.schema))
        await db.dispose()

    asyncio.run(_cli())


def _configure_and_run(context: Any, connection: Connection, metadata: MetaData, schema: str | None) -> None:
    is_pg = connection.dialect.name == "postgresql"
    context.configure(
        connection=connection,
        target_metadata=metadata,
        version_table_schema=schema if is_pg else None,
        include_schemas=False,
        render_as_batch=not is_pg,
        compare_type=True,
        include_object=lambda obj, name, type_, reflected, compare_to: type_ != "table" or name in metadata.tables,
    )
    with context.begin_transaction():
        context.run_migrations()
