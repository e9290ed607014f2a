"""The notifier migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from clinic_shared.db import Database
from clinic_shared.testing.migrations import schema_drift
from notifier.app import MIGRATIONS
from notifier.models import Base, load_models
from notifier.settings import NotifierSettings


async def test_migrations_match_the_models(settings_overrides: dict[str, Any]) -> None:
    load_models()
    db = Database(NotifierSettings(**settings_overrides))
    try:
        assert await schema_drift(db, Base.metadata, MIGRATIONS) == []
    finally:
        await db.dispose()
