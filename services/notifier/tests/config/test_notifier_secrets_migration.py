"""The upgrade that encrypts the notifier settings: a document saved in clear by an older release
is encrypted in place and still reads the same."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import bindparam, text

from clinic_shared.db import Database, UTCDateTime
from clinic_shared.migrations import upgrade
from clinic_shared.secretbox import key_id_of
from notifier.app import MIGRATIONS
from notifier.config.schemas import NotifierConfig, SmscConfig
from notifier.config.service import load_config
from notifier.settings import NotifierSettings

BEFORE = "065fc6108db9"  # the last revision that stored the settings in clear
LEGACY = NotifierConfig(sms_provider="smsc", smsc=SmscConfig(login="clinic", password="legacy-smsc-password"))


@pytest.fixture
async def old_database(settings_overrides: dict[str, Any]) -> AsyncIterator[Database]:
    """The notifier's schema at the previous release, with its settings saved in clear."""
    db = Database(NotifierSettings(**settings_overrides))
    try:
        await upgrade(db, MIGRATIONS, BEFORE)
        insert = text(
            "INSERT INTO notifier_settings (id, version, data, updated_at) VALUES (1, 1, :data, :updated_at)"
        ).bindparams(bindparam("updated_at", type_=UTCDateTime()))
        async with db.engine.begin() as connection:
            await connection.execute(insert, {"data": LEGACY.model_dump_json(), "updated_at": datetime.now(UTC)})
        yield db
    finally:
        await db.dispose()


async def raw_data(db: Database) -> str:
    async with db.engine.connect() as connection:
        return str((await connection.execute(text("SELECT data FROM notifier_settings"))).scalar_one())


async def test_the_upgrade_encrypts_settings_saved_in_clear(old_database: Database) -> None:
    await upgrade(old_database, MIGRATIONS)

    stored = await raw_data(old_database)

    assert key_id_of(stored) is not None
    assert "legacy-smsc-password" not in stored


async def test_after_the_upgrade_the_notifier_reads_the_same_settings(old_database: Database) -> None:
    await upgrade(old_database, MIGRATIONS)

    async with old_database.read_session() as session:
        config = await load_config(session, fakes=False)

    assert config == LEGACY
