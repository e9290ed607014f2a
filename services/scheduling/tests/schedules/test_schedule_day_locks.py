"""A change of a schedule day and a booking on that day are serialised on PostgreSQL (SCH-2,
SCH-4): whichever comes second waits for the first to commit and then sees it, so a booking
never lands outside the day's new hours and a change never strands a booking made meanwhile."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from scheduling_test_builders import API

from clinic_shared.auth import Principal
from clinic_shared.db import Database
from scheduling.appointments import booking
from scheduling.appointments.booking import NewAppointment, PatientData, Slot
from scheduling.appointments.context import Actor, make_context
from scheduling.directories.models import Doctor
from scheduling.events import OutboxPublisher
from scheduling.localtime import zone
from scheduling.schedules import service as schedules
from scheduling.schedules.schemas import ScheduleDay
from scheduling.settings import SchedulingSettings

pytestmark = pytest.mark.asyncio(loop_scope="module")
HELD_OFF = 0.5  # seconds the second party must still be waiting
MORNING_ONLY = {"intervals": [{"start": "09:00", "end": "12:00"}], "breaks": []}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def db(module_overrides: dict[str, Any]) -> AsyncIterator[Database]:
    """A connection pool of its own on the module platform's scheduling database (PostgreSQL only:
    SQLite serialises every writer, so nothing can interleave there)."""
    if not module_overrides.get("database_url"):
        pytest.skip("row locks are PostgreSQL's: SQLite lets one writer in at a time")
    database = Database(SchedulingSettings(**module_overrides))
    try:
        yield database
    finally:
        await database.dispose()


async def test_a_change_waits_for_a_booking_in_progress_and_then_refuses_to_strand_it(
    build: Any, db: Database, module_overrides: dict[str, Any]
) -> None:
    doctor = await build.working_doctor()
    day = build.day(1)
    [schedule] = (await build.get("/schedules", doctor_id=doctor["id"], date_from=day, date_to=day))["items"]
    settings = SchedulingSettings(**module_overrides)
    async with db.session() as session:  # a booking at 15:00, not committed yet
        ctx = await make_context(session, publisher=OutboxPublisher(), actor=Actor(None, "test"), settings=settings)
        start = datetime.fromisoformat(build.at(day, "15:00"))
        slot = Slot(await session.get(Doctor, uuid.UUID(doctor["id"])), None, start, start + timedelta(minutes=30))
        booked = await booking.book(ctx, NewAppointment(slot=slot, patient=PatientData(None, "Тестов", "Тест")))
        change = asyncio.create_task(
            build.client.put(
                f"{API}/schedules/{schedule['id']}", json=MORNING_ONLY, headers={**build.headers, "If-Match": "*"}
            )
        )
        await asyncio.sleep(HELD_OFF)
        assert not change.done()  # held off by the booking's lock on the day
    answer = await change
    assert answer.status_code == 409, answer.text
    assert answer.json()["reason"] == "appointments_outside_schedule"
    assert answer.json()["conflicts"] == [str(booked.id)]


async def test_a_booking_waits_for_a_change_in_progress_and_then_keeps_to_the_new_hours(
    build: Any, db: Database
) -> None:
    doctor = await build.working_doctor()
    day = build.day(1)
    [schedule] = (await build.get("/schedules", doctor_id=doctor["id"], date_from=day, date_to=day))["items"]
    admin = Principal(user_id=uuid.uuid4(), username="admin", rights=frozenset({"*"}))
    async with db.session() as session:  # the day cut to the morning, not committed yet
        await schedules.replace_schedule(
            session,
            principal=admin,
            schedule_id=uuid.UUID(schedule["id"]),
            data=ScheduleDay.model_validate(MORNING_ONLY),
            tz=zone("Europe/Moscow"),
            if_match="*",
        )
        attempt = asyncio.create_task(build.try_book(doctor["id"], day, "15:00"))
        await asyncio.sleep(HELD_OFF)
        assert not attempt.done()  # held off by the change's lock on the day
    answer = await attempt
    assert answer.status_code == 409, answer.text
    assert answer.json()["reason"] == "outside_working_hours"
