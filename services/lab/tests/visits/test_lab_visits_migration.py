"""The upgrade that brings visits (LAB-9): orders made before it join the visit their key names,
and a visit that was already done counts as announced."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
import sqlalchemy as sa

from clinic_shared.db import GUID, Database, UTCDateTime
from clinic_shared.migrations import upgrade
from lab.app import MIGRATIONS
from lab.settings import LabSettings

BEFORE = "9c3e7a41d2b5"  # the last revision without visits
PATIENT, OTHER_PATIENT, APPOINTMENT, CHARGE, LAB = (uuid.uuid4() for _ in range(5))

guid, moment = GUID(), UTCDateTime(timezone=True)
LABS = sa.table(
    "labs",
    *(sa.column(name, guid) for name in ("id",)),
    *(sa.column(name, sa.String()) for name in ("name", "code")),
    sa.column("active", sa.Boolean()),
    *(sa.column(name, moment) for name in ("created_at", "updated_at")),
)
ORDERS = sa.table(
    "lab_orders",
    *(sa.column(name, guid) for name in ("id", "patient_id", "lab_id", "appointment_id", "charge_id", "visit_id")),
    *(sa.column(name, sa.String()) for name in ("number", "status", "patient_card_number", "patient_last_name")),
    *(sa.column(name, sa.String()) for name in ("patient_first_name", "created_by_username")),
    sa.column("case", sa.JSON()),
    sa.column("version", sa.Integer()),
    *(sa.column(name, moment) for name in ("created_at", "updated_at", "status_changed_at")),
)
VISITS = sa.table(
    "lab_visits",
    *(sa.column(name, guid) for name in ("id", "patient_id", "appointment_id", "charge_id")),
    sa.column("announced_completed", sa.Integer()),
)
# name → (patient, appointment, charge, status)
OLD_ORDERS = {
    "blood": (PATIENT, APPOINTMENT, None, "completed"),
    "urine": (PATIENT, APPOINTMENT, CHARGE, "in_progress"),
    "charged-a": (PATIENT, None, CHARGE, "completed"),
    "charged-b": (PATIENT, None, CHARGE, "cancelled"),
    "by-hand": (PATIENT, None, None, "sent"),
    "someone-else": (OTHER_PATIENT, APPOINTMENT, None, "completed"),
}


@pytest.fixture
async def old_database(settings_overrides: dict[str, Any]) -> AsyncIterator[tuple[Database, dict[str, uuid.UUID]]]:
    """The lab's schema at the previous release, with orders of several visits in it."""
    db = Database(LabSettings(**settings_overrides))
    now = datetime.now(UTC)
    ids = {name: uuid.uuid4() for name in OLD_ORDERS}
    try:
        await upgrade(db, MIGRATIONS, BEFORE)
        async with db.engine.begin() as connection:
            await connection.execute(
                LABS.insert(),
                [{"id": LAB, "name": "Гемотест", "code": "G", "active": True, "created_at": now, "updated_at": now}],
            )
            await connection.execute(
                ORDERS.insert(),
                [
                    {
                        "id": ids[name],
                        "patient_id": patient,
                        "lab_id": LAB,
                        "appointment_id": appointment,
                        "charge_id": charge,
                        "number": f"L-2026-{index:06d}",
                        "status": status,
                        "patient_card_number": "000001",
                        "patient_last_name": "Иванов",
                        "patient_first_name": "Иван",
                        "created_by_username": "admin",
                        "case": {},
                        "version": 1,
                        "created_at": now,
                        "updated_at": now,
                        "status_changed_at": now,
                    }
                    for index, (name, (patient, appointment, charge, status)) in enumerate(OLD_ORDERS.items(), 1)
                ],
            )
        yield db, ids
    finally:
        await db.dispose()


async def test_old_orders_join_the_visits_their_keys_name(old_database: tuple[Database, dict[str, uuid.UUID]]) -> None:
    db, ids = old_database
    await upgrade(db, MIGRATIONS)

    async with db.engine.connect() as connection:
        visit_of = dict((await connection.execute(sa.select(ORDERS.c.id, ORDERS.c.visit_id))).all())
        visits = {row.id: row for row in (await connection.execute(sa.select(VISITS))).all()}

    assert None not in visit_of.values()
    assert visit_of[ids["blood"]] == visit_of[ids["urine"]]
    assert visit_of[ids["charged-a"]] == visit_of[ids["charged-b"]]
    assert len({visit_of[ids[name]] for name in ("blood", "charged-a", "by-hand", "someone-else")}) == 4
    appointment_visit = visits[visit_of[ids["blood"]]]
    assert (appointment_visit.appointment_id, appointment_visit.charge_id) == (APPOINTMENT, None)
    assert visits[visit_of[ids["charged-a"]]].charge_id == CHARGE
    assert visits[visit_of[ids["someone-else"]]].patient_id == OTHER_PATIENT


async def test_a_visit_done_before_the_upgrade_counts_as_announced(
    old_database: tuple[Database, dict[str, uuid.UUID]],
) -> None:
    db, ids = old_database
    await upgrade(db, MIGRATIONS)

    async with db.engine.connect() as connection:
        visit_of = dict((await connection.execute(sa.select(ORDERS.c.id, ORDERS.c.visit_id))).all())
        announced = dict((await connection.execute(sa.select(VISITS.c.id, VISITS.c.announced_completed))).all())

    assert announced[visit_of[ids["charged-a"]]] == 1  # done: told through the per-order event
    assert announced[visit_of[ids["blood"]]] == 0  # the urine order is still under way
    assert announced[visit_of[ids["by-hand"]]] == 0
