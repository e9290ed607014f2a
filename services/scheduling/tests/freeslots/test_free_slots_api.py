"""Free-time search through the gateway (SCH-12): schedules, breaks, appointments, cabinets, 422s."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


def starts(build: Any, page: dict[str, Any]) -> list[str]:
    """Slot starts as clinic wall-clock 'HH:MM'."""
    return [datetime.fromisoformat(s["start"]).astimezone(build_zone(build)).strftime("%H:%M") for s in page["items"]]


def build_zone(build: Any) -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo(build.tz)


async def slots(build: Any, **params: Any) -> dict[str, Any]:
    return await build.get("/free-slots", **params)  # type: ignore[no-any-return]


async def test_free_slots_skip_the_break_and_booked_time_nearest_first(build: Any) -> None:
    day = build.day(1)
    doctor = await build.doctor()
    await build.schedule(day=day, doctor_id=doctor["id"], intervals=[("09:00", "15:00")], breaks=[("12:00", "13:00")])
    await build.book(doctor["id"], day, "10:00", 60)

    page = await slots(
        build, doctor_id=doctor["id"], date_from=day.isoformat(), date_to=day.isoformat(), duration_minutes=60
    )

    assert starts(build, page) == [
        "09:00", "11:00", "13:00", "13:15", "13:30", "13:45", "14:00",
    ]  # fmt: skip
    assert page["total"] == 7
    assert all(s["doctor_id"] == doctor["id"] for s in page["items"])


async def test_duration_defaults_to_the_grid_step_and_limit_keeps_the_nearest(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)

    page = await slots(build, doctor_id=doctor["id"], date_from=day.isoformat(), date_to=day.isoformat(), limit=3)

    assert starts(build, page) == ["09:00", "09:15", "09:30"]
    first = page["items"][0]
    assert datetime.fromisoformat(first["end"]) - datetime.fromisoformat(first["start"]) == timedelta(minutes=15)
    # 09:00–18:00 minus the 13:00–14:00 break is 8 hours of 15-minute slots.
    assert page["total"] == 32


async def test_specialization_search_merges_doctors_in_time_order(build: Any) -> None:
    day = build.day(2)
    specialization = await build.item("specializations")
    early = await build.doctor(last_name="Андреева", specialization_ids=[specialization["id"]])
    late = await build.doctor(last_name="Борисова", specialization_ids=[specialization["id"]])
    await build.schedule(day=day, doctor_id=early["id"], intervals=[("09:00", "10:00")], breaks=[])
    await build.schedule(day=day, doctor_id=late["id"], intervals=[("09:30", "10:30")], breaks=[])

    page = await slots(
        build,
        specialization_id=specialization["id"],
        date_from=day.isoformat(),
        date_to=day.isoformat(),
        duration_minutes=30,
    )

    pairs = [(s["doctor_id"], time) for s, time in zip(page["items"], starts(build, page), strict=True)]
    assert pairs == [
        (early["id"], "09:00"),
        (early["id"], "09:15"),
        (early["id"], "09:30"),
        (late["id"], "09:30"),
        (late["id"], "09:45"),
        (late["id"], "10:00"),
    ]


async def test_building_filter_leaves_out_doctors_of_other_buildings(build: Any) -> None:
    day = build.day(1)
    specialization = await build.item("specializations")
    here, there = await build.building(), await build.building()
    await build.working_doctor(day, specialization_ids=[specialization["id"]], building_id=there["id"])
    local = await build.working_doctor(day, specialization_ids=[specialization["id"]], building_id=here["id"])

    page = await slots(
        build,
        specialization_id=specialization["id"],
        building_id=here["id"],
        date_from=day.isoformat(),
        date_to=day.isoformat(),
    )

    assert {s["doctor_id"] for s in page["items"]} == {local["id"]}


async def test_time_taken_in_the_doctors_cabinet_by_another_doctor_is_not_free(build: Any) -> None:
    day = build.day(1)
    cabinet = await build.cabinet()
    doctor, colleague = await build.working_doctor(day), await build.working_doctor(day)
    await build.book(doctor["id"], day, "09:00", 30, cabinet_id=cabinet["id"])
    await build.book(colleague["id"], day, "15:00", 60, cabinet_id=cabinet["id"])

    page = await slots(
        build, doctor_id=doctor["id"], date_from=day.isoformat(), date_to=day.isoformat(), duration_minutes=60
    )

    found = starts(build, page)
    assert "15:00" not in found and "14:00" in found and "16:00" in found
    assert "09:00" not in found and "09:30" in found


async def test_a_service_without_online_links_has_no_free_slots(build: Any) -> None:
    service = await build.service()
    page = await slots(build, service_id=service["id"])
    assert page == {"items": [], "total": 0}


async def test_a_service_finds_the_doctors_linked_to_it(build: Any) -> None:
    day = build.day(1)
    service = await build.service()
    linked, _unlinked = await build.working_doctor(day), await build.working_doctor(day)
    await build.post("/online/links", {"doctor_id": linked["id"], "service_id": service["id"]})

    page = await slots(build, service_id=service["id"], date_from=day.isoformat(), date_to=day.isoformat())

    assert page["total"] == 32 and {s["doctor_id"] for s in page["items"]} == {linked["id"]}


async def test_past_time_of_today_is_never_offered(build: Any) -> None:
    doctor = await build.doctor()
    today = build.today()
    await build.schedule(day=today, doctor_id=doctor["id"], intervals=[("00:00", "23:45")], breaks=[])

    page = await slots(build, doctor_id=doctor["id"], date_from=today.isoformat(), date_to=today.isoformat())

    now = datetime.now(build_zone(build))
    assert all(datetime.fromisoformat(s["start"]) >= now - timedelta(seconds=5) for s in page["items"])


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2030-01-10", "date_to": "2030-01-09"}, "date_to"),
        ({"date_from": "2030-01-01", "date_to": "2030-03-10"}, "date_to"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -15}, "duration_minutes"),
    ],
)
async def test_bad_queries_answer_422_naming_the_field(build: Any, params: dict[str, Any], field: str) -> None:
    doctor = await build.doctor()
    response = await build.client.get(
        f"{API}/free-slots", params={"doctor_id": doctor["id"], **params}, headers=build.headers
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == field


async def test_a_query_without_doctor_specialization_or_service_is_422(build: Any) -> None:
    response = await build.client.get(f"{API}/free-slots", headers=build.headers)
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "doctor_id"


async def test_free_slots_need_the_read_right(build: Any, module_platform: Any) -> None:
    doctor = await build.doctor()
    nobody = await module_platform.headers_with([])
    response = await build.client.get(f"{API}/free-slots", params={"doctor_id": doctor["id"]}, headers=nobody)
    assert response.status_code == 403
