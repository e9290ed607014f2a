"""Journal entries written before names were kept (SCH-10) are still shown readably."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from clinic_shared.clinic_time import in_clinic_zone
from clinic_shared.db import Database
from scheduling.appointments import journal
from scheduling.directories.models import Doctor


async def test_an_old_entry_gets_the_current_names_and_its_times_in_the_clinic_zone(db: Database) -> None:
    doctor_id, gone_id = uuid.uuid4(), uuid.uuid4()
    async with db.session() as session:
        session.add(Doctor(id=doctor_id, last_name="Орлова", first_name="Ольга"))
        await session.flush()
        start = datetime(2026, 12, 7, 6, 30, tzinfo=UTC)
        shown = await journal.present_changes(
            session,
            [
                {"field": "doctor_id", "from": str(gone_id), "to": str(doctor_id)},
                {"field": "start", "from": None, "to": start.isoformat()},
                {"field": "note", "from": None, "to": "перезвонить"},
            ],
        )

    assert shown == [
        {
            "field": "doctor_id",
            "from": str(gone_id),
            "to": str(doctor_id),
            "from_name": None,
            "to_name": "Орлова Ольга",
        },
        {"field": "start", "from": None, "to": in_clinic_zone(start).isoformat()},
        {"field": "note", "from": None, "to": "перезвонить"},
    ]


async def test_names_kept_at_write_time_win_over_the_current_ones(db: Database) -> None:
    doctor_id = uuid.uuid4()
    async with db.session() as session:
        session.add(Doctor(id=doctor_id, last_name="Новая", first_name="Фамилия"))
        await session.flush()
        stored = {"field": "doctor_id", "from": None, "to": str(doctor_id), "from_name": None, "to_name": "Старая"}
        shown = await journal.present_changes(session, [stored])

    assert shown == [stored]
