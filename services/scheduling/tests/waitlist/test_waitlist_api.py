"""The waiting list (SCH-7): entries with and without a date, in and out of the schedule."""

from __future__ import annotations

from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def entry(build: Any, **fields: Any) -> Any:
    return await build.post("/waitlist", {"patient": build.patient(), **fields})


async def test_undated_entries_are_listed_on_every_date_and_dated_ones_on_theirs(build: Any) -> None:
    doctor = await build.doctor()
    undated = await entry(build, doctor_id=doctor["id"], note="любое утро")
    wanted_day = build.day(5)
    dated = await entry(
        build,
        doctor_id=doctor["id"],
        wished_date=wanted_day.isoformat(),
        wished_time_from="09:00",
        wished_time_to="12:00",
    )
    other = await entry(build, doctor_id=doctor["id"], wished_date=build.day(6).isoformat())

    listed = await build.get("/waitlist", date=wanted_day.isoformat(), doctor_id=doctor["id"])
    everything = await build.get("/waitlist", doctor_id=doctor["id"])

    assert [e["id"] for e in listed["items"]] == [dated["id"], undated["id"]]
    assert {e["id"] for e in everything["items"]} == {undated["id"], dated["id"], other["id"]}
    assert dated["wished_time_from"] == "09:00" and undated["is_primary"] is True


async def test_an_entry_names_exactly_one_patient(build: Any) -> None:
    response = await build.client.post(f"{API}/waitlist", json={"note": "кто-то"}, headers=build.headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "patient_id"


async def test_wished_times_must_be_in_order(build: Any) -> None:
    response = await build.client.post(
        f"{API}/waitlist",
        json={"patient": build.patient(), "wished_time_from": "12:00", "wished_time_to": "09:00"},
        headers=build.headers,
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "wished_time_to"


async def test_moving_an_appointment_to_the_list_takes_it_off_the_schedule(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    service = await build.service()
    appointment = await build.book(doctor["id"], day, "10:00", 45, services=[{"service_id": service["id"]}])

    moved = await build.post(f"/appointments/{appointment['id']}/to-waitlist", {"note": "перезвонить"})

    assert moved["source_appointment_id"] == appointment["id"]
    assert (moved["doctor_id"], moved["duration_minutes"], moved["last_name"]) == (doctor["id"], 45, "Петров")
    assert [s["service_id"] for s in moved["services"]] == [service["id"]]
    trashed = await build.get(f"/appointments/{appointment['id']}")
    assert trashed["deleted"] is True and trashed["deletion_reason"] == "moved to the waiting list"
    await build.platform.wait_for_event("appointment.deleted", lambda e: e.aggregate_id == appointment["id"])
    assert (await build.try_book(doctor["id"], day, "10:00")).status_code == 201


async def test_booking_an_entry_creates_the_appointment_and_removes_the_entry(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    waiting = await entry(build, doctor_id=doctor["id"], duration_minutes=40)

    appointment = await build.post(f"/waitlist/{waiting['id']}/book", {"start": build.at(day, "11:00")})

    assert (appointment["doctor_id"], appointment["duration_minutes"], appointment["last_name"]) == (
        doctor["id"],
        40,
        "Петров",
    )
    gone = await build.client.get(f"{API}/waitlist/{waiting['id']}", headers=build.headers)
    assert gone.status_code == 404


async def test_booking_an_entry_into_a_taken_slot_is_refused_and_keeps_the_entry(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    taken = await build.book(doctor["id"], day, "11:00")
    waiting = await entry(build, doctor_id=doctor["id"])

    response = await build.client.post(
        f"{API}/waitlist/{waiting['id']}/book", json={"start": build.at(day, "11:00")}, headers=build.headers
    )

    assert response.status_code == 409 and response.json()["conflicts"] == [taken["id"]]
    assert (await build.client.get(f"{API}/waitlist/{waiting['id']}", headers=build.headers)).status_code == 200


async def test_an_entry_without_a_doctor_needs_one_to_be_booked(build: Any) -> None:
    waiting = await entry(build)
    response = await build.client.post(
        f"{API}/waitlist/{waiting['id']}/book", json={"start": build.at(build.day(1), "11:00")}, headers=build.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "doctor_id"


async def test_restoring_an_appointment_moved_to_the_list_removes_its_entry(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00")
    moved = await build.post(f"/appointments/{appointment['id']}/to-waitlist", {})

    await build.post(f"/appointments/{appointment['id']}/restore", {}, expect=200)

    assert (await build.client.get(f"{API}/waitlist/{moved['id']}", headers=build.headers)).status_code == 404


async def test_deleting_an_entry(build: Any) -> None:
    waiting = await entry(build)
    assert (await build.edit("DELETE", f"/waitlist/{waiting['id']}", headers=build.headers)).status_code == 204
    assert (await build.client.get(f"{API}/waitlist/{waiting['id']}", headers=build.headers)).status_code == 404
