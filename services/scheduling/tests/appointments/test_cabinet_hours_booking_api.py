"""A cabinet's work schedule restricts the appointments held in it (SCH-2, SCH-4, SCH-5, SCH-6, SCH-7).

The doctors here work 09:00–18:00 with a break 13:00–14:00; the cabinet, when it has a day,
is open 09:00–15:00 with a break 11:00–11:30. A cabinet without a schedule that day is
unrestricted (cabinet schedules are optional).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import httpx
import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def open_cabinet(build: Any, day: date) -> dict[str, Any]:
    """A cabinet open 09:00–15:00 on `day`, with a break 11:00–11:30."""
    cabinet = await build.cabinet()
    await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "15:00")], breaks=[("11:00", "11:30")])
    return cabinet


async def patch(build: Any, appointment_id: str, body: dict[str, Any]) -> httpx.Response:
    return await build.edit("PATCH", f"/appointments/{appointment_id}", json=body, headers=build.headers)


async def post(build: Any, path: str, body: dict[str, Any]) -> httpx.Response:
    return await build.client.post(API + path, json=body, headers=build.headers)


def refused_by_cabinet(response: httpx.Response, reason: str, cabinet: dict[str, Any]) -> bool:
    body = response.json()
    return (
        response.status_code == 409
        and body["reason"] == reason
        and body["cabinet_id"] == cabinet["id"]
        and "cabinet" in body["detail"]
    )


async def test_booking_inside_the_cabinets_working_time_is_accepted(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)

    appointment = await build.book(doctor["id"], day, "14:30", 30, cabinet_id=cabinet["id"])

    assert appointment["cabinet_id"] == cabinet["id"]


async def test_booking_after_the_cabinet_closes_is_refused_though_the_doctor_works(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)

    response = await build.try_book(doctor["id"], day, "15:00", 30, cabinet_id=cabinet["id"])

    assert refused_by_cabinet(response, "outside_working_hours", cabinet)
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_booking_across_the_cabinets_closing_time_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)

    response = await build.try_book(doctor["id"], day, "14:45", 30, cabinet_id=cabinet["id"])

    assert refused_by_cabinet(response, "outside_working_hours", cabinet)


async def test_booking_into_the_cabinets_break_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)

    response = await build.try_book(doctor["id"], day, "10:45", 30, cabinet_id=cabinet["id"])

    assert refused_by_cabinet(response, "in_break", cabinet)


async def test_a_cabinet_without_a_schedule_that_day_is_unrestricted(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, build.day(2))

    response = await build.try_book(doctor["id"], day, "17:00", 30, cabinet_id=cabinet["id"])

    assert response.status_code == 201, response.text


async def test_a_booking_without_a_cabinet_ignores_cabinet_schedules(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    await open_cabinet(build, day)

    assert (await build.try_book(doctor["id"], day, "16:00", 30)).status_code == 201


async def test_the_doctors_own_break_is_reported_before_the_cabinets_hours(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)

    response = await build.try_book(doctor["id"], day, "13:00", 30, cabinet_id=cabinet["id"])

    body = response.json()
    assert (response.status_code, body["reason"], "cabinet_id" in body) == (409, "in_break", False)
    assert "doctor" in body["detail"]


async def test_overbooking_does_not_open_a_closed_cabinet(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)

    response = await build.try_book(doctor["id"], day, "16:00", 30, cabinet_id=cabinet["id"], overbook=True)

    assert refused_by_cabinet(response, "outside_working_hours", cabinet)


async def test_moving_an_appointment_past_the_cabinets_closing_is_refused_and_keeps_it(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)
    appointment = await build.book(doctor["id"], day, "09:00", 30, cabinet_id=cabinet["id"])

    response = await patch(build, appointment["id"], {"start": build.at(day, "16:00")})

    assert refused_by_cabinet(response, "outside_working_hours", cabinet)
    kept = await build.get(f"/appointments/{appointment['id']}")
    assert (kept["start"], kept["version"]) == (appointment["start"], appointment["version"])


async def test_resizing_an_appointment_into_the_cabinets_break_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)
    appointment = await build.book(doctor["id"], day, "10:30", 30, cabinet_id=cabinet["id"])

    response = await patch(build, appointment["id"], {"duration_minutes": 45})

    assert refused_by_cabinet(response, "in_break", cabinet)


async def test_moving_an_appointment_into_a_closed_cabinet_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)
    appointment = await build.book(doctor["id"], day, "16:00", 30)

    response = await patch(build, appointment["id"], {"cabinet_id": cabinet["id"]})

    assert refused_by_cabinet(response, "outside_working_hours", cabinet)


async def test_editing_the_note_of_an_appointment_does_not_recheck_the_cabinet(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await build.cabinet()
    appointment = await build.book(doctor["id"], day, "16:00", 30, cabinet_id=cabinet["id"])
    await build.schedule(day=build.day(2), cabinet_id=cabinet["id"], intervals=[("09:00", "15:00")], breaks=())

    response = await patch(build, appointment["id"], {"note": "позвонить накануне"})

    assert response.status_code == 200, response.text


async def test_copying_into_the_cabinets_closed_time_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)
    appointment = await build.book(doctor["id"], day, "09:00", 30, cabinet_id=cabinet["id"])

    response = await post(build, f"/appointments/{appointment['id']}/copy", {"start": build.at(day, "17:00")})

    assert refused_by_cabinet(response, "outside_working_hours", cabinet)


async def test_copying_inside_the_cabinets_working_time_is_accepted(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)
    appointment = await build.book(doctor["id"], day, "09:00", 30, cabinet_id=cabinet["id"])

    response = await post(build, f"/appointments/{appointment['id']}/copy", {"start": build.at(day, "12:00")})

    assert response.status_code == 201, response.text
    assert response.json()["cabinet_id"] == cabinet["id"]


async def test_restoring_into_a_cabinet_that_has_closed_meanwhile_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await build.cabinet()
    appointment = await build.book(doctor["id"], day, "16:00", 30, cabinet_id=cabinet["id"])
    deleted = await build.edit("DELETE", f"/appointments/{appointment['id']}", headers=build.headers)
    assert deleted.status_code == 204
    await build.schedule(day=day, cabinet_id=cabinet["id"], intervals=[("09:00", "15:00")], breaks=())

    response = await post(build, f"/appointments/{appointment['id']}/restore", {})

    assert refused_by_cabinet(response, "outside_working_hours", cabinet)
    assert (await build.get(f"/appointments/{appointment['id']}"))["deleted"] is True


async def test_booking_a_waiting_list_entry_into_a_closed_cabinet_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor, cabinet = await build.working_doctor(day), await open_cabinet(build, day)
    waiting = await build.post("/waitlist", {"patient": build.patient(), "doctor_id": doctor["id"]})

    response = await post(
        build, f"/waitlist/{waiting['id']}/book", {"start": build.at(day, "15:30"), "cabinet_id": cabinet["id"]}
    )

    assert refused_by_cabinet(response, "outside_working_hours", cabinet)
    assert (await build.client.get(f"{API}/waitlist/{waiting['id']}", headers=build.headers)).status_code == 200
