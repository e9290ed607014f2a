"""The calendar (SCH-3): days × doctors/cabinets with schedules, breaks and appointments."""

from __future__ import annotations

from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def calendar(build: Any, **params: Any) -> Any:
    return await build.get("/calendar", **params)


async def test_a_doctors_day_shows_hours_break_day_type_appointments_and_grid_step(build: Any) -> None:
    day = build.day(2)
    day_type = await build.item("day-types", name="Дежурный", colour="#FFF2CC")
    doctor = await build.doctor()
    await build.schedule(day=day, doctor_id=doctor["id"], day_type_id=day_type["id"])
    appointment = await build.book(doctor["id"], day, "10:00")

    result = await calendar(build, date_from=day.isoformat(), date_to=day.isoformat(), doctor_id=doctor["id"])

    assert result["grid_step_minutes"] == 15 and result["timezone"] == "Europe/Moscow"
    [group] = result["groups"]
    [column] = group["columns"]
    assert column["owner"] == {"type": "doctor", "id": doctor["id"], "name": doctor["name"], "note": None}
    assert [(i["start"], i["end"]) for i in column["schedule"]["intervals"]] == [("09:00", "18:00")]
    assert [(b["start"], b["end"]) for b in column["schedule"]["breaks"]] == [("13:00", "14:00")]
    assert column["schedule"]["day_type"]["colour"] == "#FFF2CC"
    [cell] = column["appointments"]
    assert (cell["id"], cell["patient_name"], cell["is_primary"]) == (appointment["id"], "Петров Пётр", True)


async def test_grouping_by_date_or_by_doctor(build: Any) -> None:
    first_day, second_day = build.day(2), build.day(3)
    doctors = [await build.doctor(last_name=name) for name in ("Архипов", "Борисов")]
    for doctor in doctors:
        for day in (first_day, second_day):
            await build.schedule(day=day, doctor_id=doctor["id"])
    params = {
        "date_from": first_day.isoformat(),
        "date_to": second_day.isoformat(),
        "doctor_id": [d["id"] for d in doctors],
    }

    by_date = await calendar(build, **params)
    by_doctor = await calendar(build, **params, group_by="doctor")

    assert [g["key"] for g in by_date["groups"]] == [first_day.isoformat(), second_day.isoformat()]
    assert [c["owner"]["name"].split()[0] for c in by_date["groups"][0]["columns"]] == ["Архипов", "Борисов"]
    assert [g["title"].split()[0] for g in by_doctor["groups"]] == ["Архипов", "Борисов"]
    assert [c["date"] for c in by_doctor["groups"][0]["columns"]] == [first_day.isoformat(), second_day.isoformat()]


async def test_without_chosen_doctors_it_shows_those_working_in_the_building(build: Any) -> None:
    day = build.day(20)
    here, there = await build.building(), await build.building()
    local = await build.working_doctor(day, building_id=here["id"])
    await build.working_doctor(day, building_id=there["id"])
    await build.doctor(building_id=here["id"])  # no schedule that day

    result = await calendar(build, date_from=day.isoformat(), date_to=day.isoformat(), building_id=here["id"])

    assert [c["owner"]["id"] for g in result["groups"] for c in g["columns"]] == [local["id"]]


async def test_cabinet_columns_show_the_appointments_held_there(build: Any) -> None:
    day = build.day(2)
    cabinet = await build.cabinet(name="Процедурный")
    await build.schedule(day=day, cabinet_id=cabinet["id"], breaks=())
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "11:00", cabinet_id=cabinet["id"])

    result = await calendar(build, date_from=day.isoformat(), date_to=day.isoformat(), cabinet_id=cabinet["id"])

    [column] = result["groups"][0]["columns"]
    assert column["owner"]["type"] == "cabinet"
    assert [a["id"] for a in column["appointments"]] == [appointment["id"]]


async def test_period_must_be_ordered_and_short(build: Any) -> None:
    backwards = await build.client.get(
        f"{API}/calendar",
        params={"date_from": build.day(2).isoformat(), "date_to": build.day(1).isoformat()},
        headers=build.headers,
    )
    too_long = await build.client.get(
        f"{API}/calendar",
        params={"date_from": build.day(1).isoformat(), "date_to": build.day(80).isoformat()},
        headers=build.headers,
    )
    assert backwards.status_code == too_long.status_code == 422
    assert backwards.json()["errors"][0]["field"] == "date_to"
