"""The search grid (SCH-11): each filter, "who comes tomorrow", bad filters."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


def ids(page: dict[str, Any]) -> list[str]:
    return [a["id"] for a in page["items"]]


async def test_name_words_match_the_start_of_name_parts_ignoring_case_and_yo(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    surname = f"Ёлкин{uuid.uuid4().hex[:4]}"
    wanted = await build.book(
        doctor["id"], day, "10:00", patient=build.patient(last_name=surname, first_name="Семён", middle_name="Ильич")
    )
    await build.book(doctor["id"], day, "11:00", patient=build.patient(last_name="Другой", first_name="Семён"))

    assert ids(await build.get("/appointments", q=f"елкин{surname[5:]} сем")) == [wanted["id"]]
    assert ids(await build.get("/appointments", q=f"{surname.upper()} И.")) == [wanted["id"]]


async def test_phone_in_any_format_or_its_last_digits(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    wanted = await build.book(doctor["id"], day, "10:00", patient=build.patient(mobile_phone="+7 917 123-45-67"))

    assert wanted["id"] in ids(await build.get("/appointments", phone="8 (917) 123 45 67"))
    assert wanted["id"] in ids(await build.get("/appointments", phone="4567", doctor_id=doctor["id"]))
    assert ids(await build.get("/appointments", phone="7654", doctor_id=doctor["id"])) == []


async def test_too_short_phone_is_refused_naming_it(build: Any) -> None:
    response = await build.client.get(f"{API}/appointments", params={"phone": "12"}, headers=build.headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "phone"


async def test_appointment_number_finds_exactly_one(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    wanted = await build.book(doctor["id"], day, "10:00")
    await build.book(doctor["id"], day, "11:00")
    assert ids(await build.get("/appointments", number=wanted["number"])) == [wanted["id"]]


async def test_several_doctors_at_once(build: Any) -> None:
    day = build.day(1)
    doctors = [await build.working_doctor(day) for _ in range(3)]
    booked = [await build.book(d["id"], day, "10:00") for d in doctors]

    page = await build.get("/appointments", doctor_id=[doctors[0]["id"], doctors[2]["id"]])

    assert sorted(ids(page)) == sorted([booked[0]["id"], booked[2]["id"]])


async def test_building_cabinet_status_and_record_type_filters(build: Any) -> None:
    day = build.day(1)
    building = await build.building()
    cabinet = await build.cabinet(building_id=building["id"])
    status = await build.status()
    record_type = await build.item("record-types", code=f"rt{uuid.uuid4().hex[:6]}")
    doctor = await build.working_doctor(day)
    wanted = await build.book(
        doctor["id"], day, "10:00", cabinet_id=cabinet["id"], status_id=status["id"], record_type_id=record_type["id"]
    )
    await build.book(doctor["id"], day, "11:00")

    for name, value in (
        ("building_id", building["id"]),
        ("cabinet_id", cabinet["id"]),
        ("status_id", status["id"]),
        ("record_type_id", record_type["id"]),
    ):
        assert ids(await build.get("/appointments", **{name: value})) == [wanted["id"]], name


async def test_doctors_building_is_the_appointments_building_without_a_cabinet(build: Any) -> None:
    day = build.day(1)
    building = await build.building()
    doctor = await build.working_doctor(day, building_id=building["id"])
    wanted = await build.book(doctor["id"], day)
    assert ids(await build.get("/appointments", building_id=building["id"])) == [wanted["id"]]


async def test_period_is_inclusive_clinic_dates_in_time_order(build: Any) -> None:
    first_day, second_day, third_day = build.day(2), build.day(3), build.day(4)
    doctor = await build.doctor()
    for day in (first_day, second_day, third_day):
        await build.schedule(day=day, doctor_id=doctor["id"])
    late = await build.book(doctor["id"], second_day, "17:00")
    early = await build.book(doctor["id"], first_day, "09:00")
    await build.book(doctor["id"], third_day, "09:00")

    page = await build.get(
        "/appointments", doctor_id=doctor["id"], date_from=first_day.isoformat(), date_to=second_day.isoformat()
    )

    assert ids(page) == [early["id"], late["id"]]
    assert page["total"] == 2


async def test_who_comes_tomorrow(build: Any) -> None:
    doctor = await build.doctor()
    tomorrow, after = build.day(1), build.day(2)
    await build.schedule(day=tomorrow, doctor_id=doctor["id"])
    await build.schedule(day=after, doctor_id=doctor["id"])
    coming = await build.book(doctor["id"], tomorrow, "09:00")
    later = await build.book(doctor["id"], after, "09:00")

    page = await build.get("/appointments", tomorrow="true", limit=500)

    assert coming["id"] in ids(page) and later["id"] not in ids(page)
    clinic = ZoneInfo(build.tz)
    assert {datetime.fromisoformat(a["start"]).astimezone(clinic).date() for a in page["items"]} == {tomorrow}


async def test_tomorrow_cannot_be_combined_with_a_period(build: Any) -> None:
    response = await build.client.get(
        f"{API}/appointments", params={"tomorrow": "true", "date_from": build.day(1).isoformat()}, headers=build.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "tomorrow"


async def test_pages_have_a_total(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    for clock in ("09:00", "10:00", "11:00"):
        await build.book(doctor["id"], day, clock)
    page = await build.get("/appointments", doctor_id=doctor["id"], limit=2, offset=2)
    assert (len(page["items"]), page["total"]) == (1, 3)
