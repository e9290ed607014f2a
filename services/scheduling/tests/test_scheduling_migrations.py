"""The scheduling migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from clinic_shared.db import Database
from clinic_shared.testing.migrations import schema_drift
from scheduling.app import MIGRATIONS
from scheduling.models import Base, load_models
from scheduling.settings import SchedulingSettings


async def test_migrations_match_the_models(settings_overrides: dict[str, Any]) -> None:
    load_models()
    db = Database(SchedulingSettings(**settings_overrides))
    try:
        assert await schema_drift(db, Base.metadata, MIGRATIONS) == []
    finally:
        await db.dispose()
