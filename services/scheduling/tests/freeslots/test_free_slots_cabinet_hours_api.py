"""Free-time search honours the hours of the doctor's cabinet of the day (SCH-2, SCH-12).

The free-slot API names no cabinet, and a doctor has no fixed cabinet: the doctor's cabinet of
a day is the one their appointments that day name. Where that cabinet is closed (outside its
working time or in its break), the doctor is not offered; a cabinet without a schedule that
day is open all day; a doctor in two cabinets that day is offered while either is open.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def free_starts(build: Any, doctor: dict[str, Any], day: date, minutes: int = 60) -> list[str]:
    """Starts ('HH:MM', clinic time) of the doctor's free slots on `day`."""
    page = await build.get(
        "/free-slots",
        doctor_id=doctor["id"],
        date_from=day.isoformat(),
        date_to=day.isoformat(),
        duration_minutes=minutes,
        limit=500,
    )
    zone = ZoneInfo(build.tz)
    return [datetime.fromisoformat(s["start"]).astimezone(zone).strftime("%H:%M") for s in page["items"]]


async def doctor_in_cabinet(build: Any, day: date, cabinet: dict[str, Any]) -> dict[str, Any]:
    """A doctor working 09:00–18:00 (break 13:00–14:00) on `day`, booked 09:00–09:30 in `cabinet`."""
    doctor = await build.working_doctor(day)
    await build.book(doctor["id"], day, "09:00", 30, cabinet_id=cabinet["id"])
    return doctor


async def test_time_after_the_doctors_cabinet_closes_is_not_offered(build: Any) -> None:
    day = build.day(1)
    cabinet = await build.cabinet()
    await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "12:00")], breaks=())
    doctor = await doctor_in_cabinet(build, day, cabinet)

    found = await free_starts(build, doctor, day)

    assert found == ["09:30", "09:45", "10:00", "10:15", "10:30", "10:45", "11:00"]


async def test_every_offered_slot_of_the_doctor_can_be_booked_in_the_cabinet(build: Any) -> None:
    day = build.day(1)
    cabinet = await build.cabinet()
    await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "15:00")], breaks=[("10:00", "11:00")])
    doctor = await doctor_in_cabinet(build, day, cabinet)

    found = await free_starts(build, doctor, day, minutes=30)

    assert found[:2] == ["09:30", "11:00"]
    assert found[-1] == "14:30"
    for clock in ("09:30", "11:00", "14:30"):
        response = await build.try_book(doctor["id"], day, clock, 30, cabinet_id=cabinet["id"])
        assert response.status_code == 201, response.text


async def test_the_cabinets_break_is_not_offered(build: Any) -> None:
    day = build.day(1)
    cabinet = await build.cabinet()
    await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "18:00")], breaks=[("11:00", "12:00")])
    doctor = await doctor_in_cabinet(build, day, cabinet)

    found = await free_starts(build, doctor, day)

    assert "10:00" in found and "12:00" in found
    assert not {"10:15", "10:30", "10:45", "11:00", "11:15", "11:30", "11:45"} & set(found)


async def test_a_cabinet_without_a_schedule_that_day_leaves_the_doctors_hours_free(build: Any) -> None:
    day = build.day(1)
    cabinet = await build.cabinet()
    await build.schedule(day=build.day(2), cabinet_id=cabinet["id"], intervals=[("09:00", "10:00")], breaks=())
    doctor = await doctor_in_cabinet(build, day, cabinet)

    found = await free_starts(build, doctor, day)

    assert found[0] == "09:30" and found[-1] == "17:00" and "16:00" in found


async def test_a_doctor_in_two_cabinets_that_day_is_offered_while_either_is_open(build: Any) -> None:
    day = build.day(1)
    morning, afternoon = await build.cabinet(), await build.cabinet()
    await build.schedule(day=day, cabinet_id=morning["id"], intervals=[("09:00", "12:00")], breaks=())
    await build.schedule(day=day, cabinet_id=afternoon["id"], intervals=[("15:00", "17:00")], breaks=())
    doctor = await doctor_in_cabinet(build, day, morning)
    await build.book(doctor["id"], day, "15:00", 30, cabinet_id=afternoon["id"])

    found = await free_starts(build, doctor, day)

    assert "11:00" in found and "15:30" in found and "16:00" in found
    assert not {"12:00", "14:00", "14:30", "16:15", "17:00"} & set(found)


async def test_a_doctor_with_no_appointment_in_a_cabinet_that_day_is_not_bound_by_cabinet_hours(build: Any) -> None:
    day = build.day(1)
    cabinet = await build.cabinet()
    await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "10:00")], breaks=())
    doctor = await doctor_in_cabinet(build, build.day(2), cabinet)
    await build.schedule(day=day, doctor_id=doctor["id"])

    found = await free_starts(build, doctor, day)

    assert found[0] == "09:00" and found[-1] == "17:00"
