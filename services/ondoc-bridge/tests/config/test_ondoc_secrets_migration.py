"""The upgrade that encrypts ONDOC credentials: a row saved in clear by an older release is
encrypted in place, still reads the same, and a downgrade gives the clear values back."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import JSON, bindparam, text

from clinic_shared.db import Database, UTCDateTime
from clinic_shared.migrations import upgrade
from clinic_shared.secretbox import key_id_of
from clinic_shared.testing.migrations import schema_drift
from ondoc_bridge.app import MIGRATIONS
from ondoc_bridge.config.service import load
from ondoc_bridge.settings import OndocSettings

BEFORE = "7c3e9a51d2b4"  # the last revision that stored credentials in clear
COMPANY_TOKEN = "legacy-company-token"
BRANCH_TOKEN = "legacy-branch-token"
SECRETS = ["legacy-secret-1", "legacy-secret-2"]


@pytest.fixture
async def old_database(settings_overrides: dict[str, Any]) -> AsyncIterator[Database]:
    """The bridge's schema at the previous release, with its settings row saved in clear."""
    db = Database(OndocSettings(**settings_overrides))
    try:
        await upgrade(db, MIGRATIONS, BEFORE)
        insert = text(
            "INSERT INTO ondoc_config (id, server_url, company_token, branch_token, time_zone,"
            " refresh_interval_minutes, enabled, contact_priority, callback_secrets, attach_code_ttl_minutes,"
            " version, updated_at) VALUES (1, 'https://ondoc.example', :company, :branch, '+03:00', 60, true,"
            " 'mobile', :secrets, 1440, 1, :updated_at)"
        ).bindparams(bindparam("secrets", type_=JSON()), bindparam("updated_at", type_=UTCDateTime()))
        async with db.engine.begin() as connection:
            await connection.execute(
                insert,
                {"company": COMPANY_TOKEN, "branch": BRANCH_TOKEN, "secrets": SECRETS, "updated_at": datetime.now(UTC)},
            )
        yield db
    finally:
        await db.dispose()


async def raw_row(db: Database) -> dict[str, Any]:
    async with db.engine.connect() as connection:
        result = await connection.execute(
            text("SELECT company_token, branch_token, callback_secrets FROM ondoc_config")
        )
        return dict(result.mappings().one())


async def test_the_upgrade_encrypts_credentials_saved_in_clear(old_database: Database) -> None:
    await upgrade(old_database, MIGRATIONS)

    row = await raw_row(old_database)

    assert all(key_id_of(value) is not None for value in row.values())
    assert COMPANY_TOKEN not in str(row) and BRANCH_TOKEN not in str(row) and SECRETS[0] not in str(row)


async def test_after_the_upgrade_the_bridge_reads_the_same_credentials(old_database: Database) -> None:
    await upgrade(old_database, MIGRATIONS)

    async with old_database.read_session() as session:
        config = await load(session)
        seen = (config.company_token, config.branch_token, config.callback_secrets)

    assert seen == (
        COMPANY_TOKEN,
        BRANCH_TOKEN,
        SECRETS,
    )


async def test_running_the_upgrade_on_encrypted_rows_changes_nothing(old_database: Database) -> None:
    await upgrade(old_database, MIGRATIONS)
    encrypted = await raw_row(old_database)

    await upgrade(old_database, MIGRATIONS)

    assert await raw_row(old_database) == encrypted


async def test_a_downgrade_gives_the_clear_credentials_back(old_database: Database) -> None:
    await upgrade(old_database, MIGRATIONS)

    await downgrade(old_database, BEFORE)

    row = await raw_row(old_database)
    assert (row["company_token"], row["branch_token"]) == (COMPANY_TOKEN, BRANCH_TOKEN)


async def downgrade(db: Database, revision: str) -> None:
    from alembic import command

    from clinic_shared.migrations import alembic_config

    config = alembic_config(MIGRATIONS, db.schema)

    def run(connection: Any) -> None:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)

    async with db.engine.begin() as connection:
        await connection.run_sync(run)


async def test_after_the_upgrade_the_tables_match_the_models(settings_overrides: dict[str, Any]) -> None:
    from ondoc_bridge.models import Base

    db = Database(OndocSettings(**settings_overrides))
    try:
        assert await schema_drift(db, Base.metadata, MIGRATIONS) == []
    finally:
        await db.dispose()
