"""The upgrade that brings card numbers, price lists and access (PRO-6, PRO-7, PRO-8): rows
written before it keep working — imported phones become the card's digits, calculation lines
keep their prices (marked as the line's own), card numbers wait for the first export."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa

from clinic_shared.db import GUID, Database, UTCDateTime
from clinic_shared.migrations import upgrade
from profexam.app import MIGRATIONS
from profexam.settings import ProfexamSettings

BEFORE = "2488b41a4630"  # the initial schema: no card numbers, price lists or access
ORGANIZATION, EXAM, CALCULATION = (uuid.uuid4() for _ in range(3))
guid, moment = GUID(), UTCDateTime(timezone=True)

ORGANIZATIONS = sa.table(
    "organizations",
    sa.column("id", guid),
    *(sa.column(name, sa.String()) for name in ("name", "name_norm")),
    *(sa.column(name, moment) for name in ("created_at", "updated_at")),
)
EXAMS = sa.table(
    "exams",
    *(sa.column(name, guid) for name in ("id", "organization_id")),
    sa.column("name", sa.String()),
    *(sa.column(name, sa.Date()) for name in ("period_from", "period_to")),
    *(sa.column(name, moment) for name in ("created_at", "updated_at")),
)
EMPLOYEES = sa.table(
    "employees",
    *(sa.column(name, guid) for name in ("id", "exam_id", "patient_id")),
    *(sa.column(name, sa.String()) for name in ("last_name", "first_name", "phone", "source", "card_number")),
    sa.column("harmful_factor_codes", sa.JSON()),
    *(sa.column(name, sa.Integer()) for name in ("exam_type", "patient_version")),
    sa.column("created_at", moment),
)
CALCULATIONS = sa.table(
    "calculations",
    *(sa.column(name, guid) for name in ("id", "exam_id", "contract_id")),
    sa.column("name", sa.String()),
    sa.column("total_price", sa.Numeric(14, 2)),
    sa.column("created_at", moment),
)
POSITIONS = sa.table(
    "calculation_positions",
    *(sa.column(name, guid) for name in ("id", "calculation_id")),
    *(sa.column(name, sa.Integer()) for name in ("line", "headcount")),
    *(sa.column(name, sa.String()) for name in ("position", "price_source")),
    sa.column("harmful_factor_codes", sa.JSON()),
    sa.column("price", sa.Numeric(12, 2)),
)
# phone as stored before → as stored after
PHONES = {"8 843 555 12 12": "78435551212", "+7 (922) 123-45-67": "79221234567", "79221112233": "79221112233"}


@pytest.fixture
async def old_database(settings_overrides: dict[str, Any]) -> AsyncIterator[Database]:
    """The profexam schema of the previous release, with an exam, imported employees and a calculation."""
    db = Database(ProfexamSettings(**settings_overrides))
    now = datetime.now(UTC)
    try:
        await upgrade(db, MIGRATIONS, BEFORE)
        async with db.engine.begin() as connection:
            await connection.execute(
                ORGANIZATIONS.insert(),
                [{"id": ORGANIZATION, "name": "Ромашка", "name_norm": "ромашка", "created_at": now, "updated_at": now}],
            )
            await connection.execute(
                EXAMS.insert(),
                [
                    {
                        "id": EXAM,
                        "organization_id": ORGANIZATION,
                        "name": "Осмотр",
                        "period_from": date(2026, 1, 1),
                        "period_to": date(2026, 12, 31),
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
            await connection.execute(
                EMPLOYEES.insert(),
                [
                    {
                        "id": uuid.uuid4(),
                        "exam_id": EXAM,
                        "patient_id": uuid.uuid4(),
                        "last_name": f"Сотрудник{'абвг'[index]}",
                        "first_name": "Иван",
                        "phone": phone,
                        "source": "import",
                        "harmful_factor_codes": [],
                        "exam_type": 1,
                        "patient_version": 0,
                        "created_at": now,
                    }
                    for index, phone in enumerate([*PHONES, None])
                ],
            )
            await connection.execute(
                CALCULATIONS.insert(),
                [
                    {
                        "id": CALCULATION,
                        "exam_id": EXAM,
                        "name": "2026",
                        "total_price": Decimal("900"),
                        "created_at": now,
                    }
                ],
            )
            await connection.execute(
                POSITIONS.insert(),
                [
                    {
                        "id": uuid.uuid4(),
                        "calculation_id": CALCULATION,
                        "line": line,
                        "position": position,
                        "headcount": 1,
                        "harmful_factor_codes": [],
                        "price": price,
                    }
                    for line, (position, price) in enumerate((("Слесарь", Decimal("900")), ("Маляр", None)), 1)
                ],
            )
        yield db
    finally:
        await db.dispose()


async def test_old_rows_survive_the_upgrade(old_database: Database) -> None:
    await upgrade(old_database, MIGRATIONS)
    async with old_database.engine.connect() as connection:
        employees = (await connection.execute(sa.select(EMPLOYEES.c.phone, EMPLOYEES.c.card_number))).all()
        lines = dict((await connection.execute(sa.select(POSITIONS.c.position, POSITIONS.c.price_source))).all())
        calculation = (
            await connection.execute(sa.select(CALCULATIONS.c.contract_id, CALCULATIONS.c.total_price))
        ).one()
    assert sorted((p for p, _ in employees), key=str) == sorted([*PHONES.values(), None], key=str)
    assert {number for _, number in employees} == {None}  # filled by the first export, not here
    assert lines == {"Слесарь": "line", "Маляр": None}
    assert (calculation.contract_id, calculation.total_price) == (None, Decimal("900.00"))
