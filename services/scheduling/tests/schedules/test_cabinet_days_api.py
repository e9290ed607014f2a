"""Cabinet days protect what is booked in the cabinet (SCH-2): a new, changed or bulk-filled
day never leaves an active appointment outside the cabinet's working time or in its break;
deleting a cabinet's day is always allowed (the cabinet is then unrestricted)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


def day_body(**fields: Any) -> dict[str, Any]:
    return {"intervals": [{"start": "09:00", "end": "15:00"}], "breaks": [], **fields}


async def booked_in_cabinet(build: Any, day: Any, clock: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """A cabinet without a schedule, and an appointment held in it at `clock` on `day`."""
    doctor, cabinet = await build.working_doctor(day), await build.cabinet()
    appointment = await build.book(doctor["id"], day, clock, 30, cabinet_id=cabinet["id"])
    return cabinet, appointment


async def test_a_cabinet_day_that_would_leave_a_booking_outside_is_refused_naming_it(build: Any) -> None:
    day = build.day(3)
    cabinet, appointment = await booked_in_cabinet(build, day, "16:00")

    response = await build.client.post(
        f"{API}/schedules", json=day_body(cabinet_id=cabinet["id"], date=day.isoformat()), headers=build.headers
    )

    body = response.json()
    assert (response.status_code, body["reason"], body["conflicts"]) == (
        409,
        "appointments_outside_schedule",
        [appointment["id"]],
    )
    assert (await build.get("/schedules", cabinet_id=cabinet["id"]))["total"] == 0


async def test_a_cabinet_day_around_its_bookings_is_created(build: Any) -> None:
    day = build.day(3)
    cabinet, _ = await booked_in_cabinet(build, day, "10:00")

    schedule = await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "15:00")], breaks=())

    assert schedule["cabinet_id"] == cabinet["id"]


async def test_shortening_a_cabinet_day_past_a_booking_is_refused(build: Any) -> None:
    day = build.day(3)
    cabinet, appointment = await booked_in_cabinet(build, day, "14:00")
    schedule = await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "15:00")], breaks=())

    response = await build.edit(
        "PUT",
        f"/schedules/{schedule['id']}",
        json={"intervals": [{"start": "09:00", "end": "12:00"}]},
        headers=build.headers,
    )

    assert response.status_code == 409 and response.json()["conflicts"] == [appointment["id"]]


async def test_a_cabinet_break_over_a_booking_is_refused(build: Any) -> None:
    day = build.day(3)
    cabinet, appointment = await booked_in_cabinet(build, day, "11:00")
    schedule = await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "15:00")], breaks=())

    response = await build.edit(
        "POST", f"/schedules/{schedule['id']}/breaks", json={"start": "11:15", "end": "11:45"}, headers=build.headers
    )

    assert response.status_code == 409 and response.json()["conflicts"] == [appointment["id"]]


async def test_a_booking_of_another_cabinet_or_without_one_does_not_hold_a_cabinet_day(build: Any) -> None:
    day = build.day(3)
    doctor, cabinet, other = await build.working_doctor(day), await build.cabinet(), await build.cabinet()
    await build.book(doctor["id"], day, "16:00", 30)
    await build.book(doctor["id"], day, "17:00", 30, cabinet_id=other["id"])

    schedule = await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "15:00")], breaks=())

    assert schedule["cabinet_id"] == cabinet["id"]


async def test_deleting_a_cabinet_day_with_bookings_leaves_the_cabinet_unrestricted(build: Any) -> None:
    day = build.day(3)
    cabinet, _ = await booked_in_cabinet(build, day, "10:00")
    schedule = await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "15:00")], breaks=())
    doctor = await build.working_doctor(day)
    assert (await build.try_book(doctor["id"], day, "16:00", 30, cabinet_id=cabinet["id"])).status_code == 409

    deleted = await build.edit("DELETE", f"/schedules/{schedule['id']}", headers=build.headers)

    assert deleted.status_code == 204
    assert (await build.try_book(doctor["id"], day, "16:00", 30, cabinet_id=cabinet["id"])).status_code == 201


async def test_bulk_fill_of_a_cabinet_skips_a_day_whose_bookings_would_be_left_outside(build: Any) -> None:
    first = build.day(3)
    cabinet, appointment = await booked_in_cabinet(build, first, "16:00")
    body = day_body(
        cabinet_id=cabinet["id"],
        date_from=first.isoformat(),
        date_to=(first + timedelta(days=1)).isoformat(),
        weekdays=[first.weekday(), (first + timedelta(days=1)).weekday()],
    )

    result = await build.post("/schedules/bulk", body, expect=200)

    assert result["created"] == [(first + timedelta(days=1)).isoformat()]
    assert result["skipped"] == [
        {
            "date": first.isoformat(),
            "reason": "appointments_outside_schedule",
            "schedule_id": None,
            "conflicts": [appointment["id"]],
        }
    ]


async def test_bulk_replacing_a_doctors_day_skips_it_when_a_booking_would_be_left_outside(build: Any) -> None:
    day = build.day(4)
    doctor = await build.doctor()
    schedule = await build.schedule(day=day, doctor_id=doctor["id"], intervals=[("09:00", "18:00")], breaks=())
    appointment = await build.book(doctor["id"], day, "16:00", 30)
    body = day_body(
        doctor_id=doctor["id"],
        date_from=day.isoformat(),
        date_to=day.isoformat(),
        weekdays=[day.weekday()],
        replace_existing=True,
    )

    result = await build.post("/schedules/bulk", body, expect=200)

    assert (result["created"], result["replaced"]) == ([], [])
    assert result["skipped"] == [
        {
            "date": day.isoformat(),
            "reason": "appointments_outside_schedule",
            "schedule_id": schedule["id"],
            "conflicts": [appointment["id"]],
        }
    ]
