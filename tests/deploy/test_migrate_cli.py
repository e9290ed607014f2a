"""`python -m clinic_shared.migrate <package>`: what the migrations Jobs run."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from clinic_shared.db import Database
from clinic_shared.migrate import main, migrate, migration_target


async def version_of(settings: Any) -> str | None:
    db = Database(settings)
    try:
        async with db.engine.connect() as conn:
            table = f'"{db.schema}".alembic_version' if db.is_postgres else "alembic_version"
            return (await conn.execute(text(f"SELECT version_num FROM {table}"))).scalar_one_or_none()  # noqa: S608
    finally:
        await db.dispose()


@pytest.mark.parametrize("package", ["patients", "ondoc_bridge", "gateway"])
async def test_migrate_brings_a_schema_to_its_latest_revision(package: str, settings_overrides: dict[str, Any]) -> None:
    settings_class, migrations = migration_target(package)
    settings = settings_class(**settings_overrides)
    await migrate(settings, migrations)
    assert await version_of(settings) is not None


async def test_migrating_an_up_to_date_schema_changes_nothing(settings_overrides: dict[str, Any]) -> None:
    settings_class, migrations = migration_target("lab")
    settings = settings_class(**settings_overrides)
    await migrate(settings, migrations)
    first = await version_of(settings)
    await migrate(settings, migrations)
    assert await version_of(settings) == first


def test_an_unknown_package_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["billing"])
    assert exit_info.value.code == 2
    assert "no installed service package 'billing'" in capsys.readouterr().err
