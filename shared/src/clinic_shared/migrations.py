"""Alembic per service: each schema has its own version table, applied the same way in both modes."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from functools import cache
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


# Tests start thousands of fresh SQLite platforms: with this set (by clinic_shared.testing's
# plugin, a folder of its process), a new database file is a copy of one migrated once.
TEMPLATES_ENV = "CLINIC_TEST_SQLITE_TEMPLATES"


async def upgrade(db: Database, script_location: str | Path, revision: str = "head") -> None:
    """Apply the service's migrations; safe when several replicas start at once."""
    template = _sqlite_template(db, script_location) if revision == "head" else None
    if template is not None:
        target = db.settings.sqlite_path()
        if not target.exists() and template.exists():
            shutil.copyfile(template, target)
            return
    await db.ensure_schema()
    config = alembic_config(script_location, db.schema)
    async with db.engine.begin() as conn:
        if db.is_postgres:
            await conn.execute(text("SELECT pg_advisory_xact_lock(hashtext(:s))"), {"s": "migrate:" + db.schema})
        await conn.run_sync(_run_upgrade, config, revision)

    if template is not None and not template.exists():
        _save_template(db.settings.sqlite_path(), template)


def _save_template(database: Path, template: Path) -> None:
    """A consistent copy (SQLite's backup: the write-ahead log included), put in place at once."""
    partial = template.with_suffix(f".{os.getpid()}.part")
    with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)
    partial.replace(template)


def _sqlite_template(db: Database, script_location: str | Path) -> Path | None:
    """Where a fresh database migrated to this head is kept for tests (see TEMPLATES_ENV)."""
    folder = os.environ.get(TEMPLATES_ENV)
    if not folder or db.is_postgres:
        return None
    # Rows a migration writes may be encrypted: a template is only for databases with the same key.
    key = db.secret_box().current_key_id
    return Path(folder) / f"{db.settings.schema_name}-{_scripts_digest(str(script_location))}-{key}.db"


@cache
def _scripts_digest(script_location: str) -> str:
    """What the migrations are: a new or changed script makes a new template."""
    digest = hashlib.sha256()
    for path in sorted(Path(script_location).rglob("*.py")):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def sqlite_templates_folder() -> Path:
    """A folder of this process for TEMPLATES_ENV (xdist workers never share one)."""
    return Path(tempfile.mkdtemp(prefix="clinic-sqlite-templates-"))


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
