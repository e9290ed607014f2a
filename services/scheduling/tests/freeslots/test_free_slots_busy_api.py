"""Free-time search through the gateway (SCH-12): busy time merged by the database, schedules
grouped by their hours. The search reads appointments merged per doctor (gaps and islands in
SQL) and schedules grouped by (date, hours, breaks); these tests pin what a receptionist sees
when appointments overlap, nest, touch, belong to other doctors, or are deleted, and when
doctors share or differ in their hours."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from scheduling_test_builders import at

from scheduling.freeslots import reads
from scheduling.slots import normalize

pytestmark = pytest.mark.asyncio(loop_scope="module")


def clock(build: Any, slot: dict[str, Any]) -> str:
    """A slot's start as clinic wall-clock 'HH:MM'."""
    return datetime.fromisoformat(slot["start"]).astimezone(ZoneInfo(build.tz)).strftime("%H:%M")


async def free_starts(build: Any, day: Any, *, minutes: int = 60, **who: Any) -> list[tuple[str, str]]:
    """(doctor id, 'HH:MM') of every free slot of `minutes` on `day`, nearest first."""
    page = await build.get(
        "/free-slots",
        date_from=day.isoformat(),
        date_to=day.isoformat(),
        duration_minutes=minutes,
        limit=500,
        **who,
    )
    assert page["total"] == len(page["items"])
    return [(slot["doctor_id"], clock(build, slot)) for slot in page["items"]]


async def doctor_free_starts(build: Any, doctor: dict[str, Any], day: Any, *, minutes: int = 60) -> list[str]:
    return [start for _, start in await free_starts(build, day, minutes=minutes, doctor_id=doctor["id"])]


async def test_overbooked_appointments_nested_in_a_long_one_keep_it_busy_to_its_end(build: Any) -> None:
    day = build.day(1)
    doctor = await build.doctor()
    await build.schedule(day=day, doctor_id=doctor["id"], intervals=[("09:00", "13:00")], breaks=[])
    await build.book(doctor["id"], day, "10:00", 120)
    await build.book(doctor["id"], day, "10:30", 30, overbook=True)
    await build.book(doctor["id"], day, "11:00", 15, overbook=True)

    # The nested ones end at 11:00 and 11:15, but the long one keeps the doctor busy until 12:00.
    assert await doctor_free_starts(build, doctor, day) == ["09:00", "12:00"]


async def test_overlapping_overbooked_appointments_block_their_union(build: Any) -> None:
    day = build.day(1)
    doctor = await build.doctor()
    await build.schedule(day=day, doctor_id=doctor["id"], intervals=[("09:00", "13:00")], breaks=[])
    await build.book(doctor["id"], day, "09:30", 60)
    await build.book(doctor["id"], day, "10:15", 60, overbook=True)

    assert await doctor_free_starts(build, doctor, day, minutes=30) == [
        "09:00", "11:15", "11:30", "11:45", "12:00", "12:15", "12:30",
    ]  # fmt: skip


async def test_back_to_back_appointments_block_their_whole_stretch(build: Any) -> None:
    day = build.day(1)
    doctor = await build.doctor()
    await build.schedule(day=day, doctor_id=doctor["id"], intervals=[("09:00", "12:00")], breaks=[])
    for start in ("09:00", "09:30", "10:00"):
        await build.book(doctor["id"], day, start, 30)

    assert await doctor_free_starts(build, doctor, day) == ["10:30", "10:45", "11:00"]


async def test_one_doctors_appointments_never_block_another_doctor(build: Any) -> None:
    day = build.day(2)
    specialization = await build.item("specializations")
    first = await build.doctor(last_name="Аксенова", specialization_ids=[specialization["id"]])
    second = await build.doctor(last_name="Белова", specialization_ids=[specialization["id"]])
    for doctor in (first, second):
        await build.schedule(day=day, doctor_id=doctor["id"], intervals=[("09:00", "12:00")], breaks=[])
    # The second doctor's hour bridges the first one's free hour: merging must keep doctors apart.
    await build.book(first["id"], day, "09:00", 60)
    await build.book(second["id"], day, "10:00", 60)
    await build.book(first["id"], day, "11:00", 60)

    found = await free_starts(build, day, specialization_id=specialization["id"])

    assert found == [(second["id"], "09:00"), (first["id"], "10:00"), (second["id"], "11:00")]


async def test_a_deleted_appointment_frees_its_time(build: Any) -> None:
    day = build.day(1)
    doctor = await build.doctor()
    await build.schedule(day=day, doctor_id=doctor["id"], intervals=[("09:00", "11:00")], breaks=[])
    await build.book(doctor["id"], day, "09:00", 60)
    cancelled = await build.book(doctor["id"], day, "10:00", 60)
    response = await build.edit("DELETE", f"/appointments/{cancelled['id']}", headers=build.headers)
    assert response.status_code == 204, response.text

    assert await doctor_free_starts(build, doctor, day) == ["10:00"]


async def test_doctors_sharing_hours_but_not_breaks_each_get_their_own_slots(build: Any) -> None:
    day = build.day(3)
    specialization = await build.item("specializations")
    names = ("Алексеева", "Борисова", "Васильева", "Григорьева")
    plain, paused, later, also_plain = [
        await build.doctor(last_name=name, specialization_ids=[specialization["id"]]) for name in names
    ]
    hours = {
        plain["id"]: ([("09:00", "11:00")], []),
        paused["id"]: ([("09:00", "11:00")], [("09:30", "10:30")]),
        later["id"]: ([("10:00", "11:00")], []),
        also_plain["id"]: ([("09:00", "11:00")], []),
    }
    for doctor_id, (intervals, breaks) in hours.items():
        await build.schedule(day=day, doctor_id=doctor_id, intervals=intervals, breaks=breaks)

    found = await free_starts(build, day, minutes=30, specialization_id=specialization["id"])

    by_doctor = {doctor_id: [start for who, start in found if who == doctor_id] for doctor_id in hours}
    every_quarter = ["09:00", "09:15", "09:30", "09:45", "10:00", "10:15", "10:30"]
    assert by_doctor == {
        plain["id"]: every_quarter,
        paused["id"]: ["09:00", "10:30"],
        later["id"]: ["10:00", "10:15", "10:30"],
        also_plain["id"]: every_quarter,
    }


async def test_busy_time_read_from_the_database_is_exactly_the_union_of_the_appointments(build: Any) -> None:
    """The SQL merge (gaps and islands) against the engine's own merge of the raw appointments."""
    first_day, second_day = build.day(4), build.day(5)
    doctor = await build.doctor()
    for day in (first_day, second_day):
        await build.schedule(day=day, doctor_id=doctor["id"], intervals=[("08:00", "20:00")], breaks=[])
    shuffle = random.Random(20261127)
    booked = []
    for _ in range(24):
        day = shuffle.choice((first_day, second_day))
        minutes = shuffle.choice((5, 15, 30, 45, 60, 90, 120))
        start = 8 * 60 + shuffle.randrange(0, 12 * 60 - minutes + 1, 5)
        appointment = await build.book(doctor["id"], day, f"{start // 60:02d}:{start % 60:02d}", minutes, overbook=True)
        booked.append((datetime.fromisoformat(appointment["start"]), datetime.fromisoformat(appointment["end"])))

    runtime = build.platform.app.state.embedded_apps["scheduling"].state.runtime
    tz = ZoneInfo(build.tz)
    async with runtime.db.read_session() as session:
        busy = await reads.busy_time(
            session,
            [uuid.UUID(doctor["id"])],
            at(first_day, "00:00", build.tz),
            at(second_day, "00:00", build.tz) + timedelta(days=1),
            tz,
        )

    assert list(busy) == [uuid.UUID(doctor["id"])]
    # Merged into maximal stretches already: as many pieces as the union has, and the same pieces.
    assert sorted(busy[uuid.UUID(doctor["id"])]) == normalize(booked)
