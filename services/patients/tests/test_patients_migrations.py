"""The patients migrations build exactly the tables the models declare, on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import insert, select

from clinic_shared.db import Database, utcnow
from clinic_shared.migrations import upgrade
from clinic_shared.testing.migrations import schema_drift
from patients.app import MIGRATIONS
from patients.cards.models import CardNameToken, PatientCard
from patients.models import Base, load_models
from patients.settings import PatientsSettings

BEFORE_NAME_TOKENS = "dd11a82e10f6"


async def test_migrations_match_the_models(settings_overrides: dict[str, Any]) -> None:
    load_models()
    db = Database(PatientsSettings(**settings_overrides))
    try:
        assert await schema_drift(db, Base.metadata, MIGRATIONS) == []
    finally:
        await db.dispose()


def _card_row(last: str, first: str, middle: str) -> dict[str, Any]:
    now = utcnow()
    return {
        "id": uuid.uuid4(),
        "card_number": uuid.uuid4().hex[:12],
        "last_name": last,
        "first_name": first,
        "middle_name": middle or None,
        "last_name_norm": last.lower(),
        "first_name_norm": first.lower(),
        "middle_name_norm": middle.lower(),
        "other_phones": [],
        "vip": False,
        "version": 1,
        "deleted": False,
        "created_at": now,
        "updated_at": now,
    }


async def test_the_name_index_is_built_for_cards_that_existed_before_it(settings_overrides: dict[str, Any]) -> None:
    load_models()
    db = Database(PatientsSettings(**settings_overrides))
    try:
        await upgrade(db, MIGRATIONS, BEFORE_NAME_TOKENS)
        double = _card_row("Петрова-Водкина", "Анна", "")
        plain = _card_row("Иванов", "Иван", "Петрович")
        async with db.engine.begin() as connection:
            await connection.execute(insert(PatientCard.__table__), [double, plain])
        await upgrade(db, MIGRATIONS)
        async with db.engine.connect() as connection:
            rows = (
                await connection.execute(
                    select(CardNameToken.card_id, CardNameToken.position, CardNameToken.token).order_by(
                        CardNameToken.card_id, CardNameToken.position
                    )
                )
            ).all()
        tokens = {card_id: [token for row_id, _, token in rows if row_id == card_id] for card_id, _, _ in rows}
        assert tokens == {
            double["id"]: ["петрова-водкина", "водкина", "анна"],
            plain["id"]: ["иванов", "иван", "петрович"],
        }
    finally:
        await db.dispose()
