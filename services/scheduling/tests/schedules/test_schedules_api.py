"""Work schedules through the gateway (SCH-2): per day, in bulk, breaks, protection of bookings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from scheduling_test_builders import API, same_instant

pytestmark = pytest.mark.asyncio(loop_scope="module")


def day_body(**fields: Any) -> dict[str, Any]:
    return {"intervals": [{"start": "09:00", "end": "18:00"}], "breaks": [{"start": "13:00", "end": "14:00"}], **fields}


async def post_schedule(build: Any, body: dict[str, Any]) -> Any:
    return await build.client.post(f"{API}/schedules", json=body, headers=build.headers)


async def test_a_days_schedule_shows_wall_clock_times_and_their_utc_instants(build: Any) -> None:
    doctor = await build.doctor()
    day = build.day(3)

    schedule = await build.schedule(day=day, doctor_id=doctor["id"], note="до обеда — первичные")

    interval = schedule["intervals"][0]
    assert (interval["start"], interval["end"]) == ("09:00", "18:00")
    # Moscow is UTC+3 all year.
    assert same_instant(interval["starts_at"], datetime(day.year, day.month, day.day, 6, tzinfo=UTC))
    assert same_instant(interval["ends_at"], datetime(day.year, day.month, day.day, 15, tzinfo=UTC))
    assert schedule["breaks"][0]["start"] == "13:00"
    assert schedule["note"] == "до обеда — первичные"


async def test_a_second_schedule_for_the_same_day_is_refused_naming_the_first(build: Any) -> None:
    doctor = await build.doctor()
    day = build.day(3)
    first = await build.schedule(day=day, doctor_id=doctor["id"])

    response = await post_schedule(build, day_body(doctor_id=doctor["id"], date=day.isoformat()))

    assert response.status_code == 409 and response.json()["conflicts"] == [first["id"]]


async def test_cabinets_have_schedules_too(build: Any) -> None:
    cabinet = await build.cabinet()
    schedule = await build.schedule(day=build.day(3), cabinet_id=cabinet["id"], breaks=())
    assert (schedule["cabinet_id"], schedule["doctor_id"]) == (cabinet["id"], None)


async def test_exactly_one_owner_is_required(build: Any) -> None:
    doctor, cabinet = await build.doctor(), await build.cabinet()
    both = await post_schedule(
        build, day_body(doctor_id=doctor["id"], cabinet_id=cabinet["id"], date=build.day(3).isoformat())
    )
    neither = await post_schedule(build, day_body(date=build.day(3).isoformat()))
    assert both.status_code == neither.status_code == 422
    assert neither.json()["errors"][0]["field"] == "doctor_id"


@pytest.mark.parametrize(
    ("intervals", "breaks", "field"),
    [
        ([("18:00", "09:00")], [], "intervals.0.end"),
        ([("9:00", "18:00")], [], "intervals.0.start"),
        ([("09:00", "25:00")], [], "intervals.0.end"),
        ([("09:00", "13:00"), ("12:00", "18:00")], [], "intervals.1"),
        ([("09:00", "13:00")], [("12:30", "13:30")], "breaks.0"),
        ([], [], "intervals"),
    ],
)
async def test_bad_days_are_refused_naming_the_field(
    build: Any, intervals: list[tuple[str, str]], breaks: list[tuple[str, str]], field: str
) -> None:
    doctor = await build.doctor()
    body = {
        "doctor_id": doctor["id"],
        "date": build.day(3).isoformat(),
        "intervals": [{"start": s, "end": e} for s, e in intervals],
        "breaks": [{"start": s, "end": e} for s, e in breaks],
    }

    response = await post_schedule(build, body)

    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]


async def test_unknown_doctor_is_refused(build: Any) -> None:
    response = await post_schedule(
        build, day_body(doctor_id="00000000-0000-0000-0000-000000000004", date=build.day(3).isoformat())
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "doctor_id"


async def test_replacing_a_day_changes_its_hours(build: Any) -> None:
    doctor = await build.doctor()
    schedule = await build.schedule(day=build.day(3), doctor_id=doctor["id"])

    response = await build.edit(
        "PUT",
        f"/schedules/{schedule['id']}",
        json={"intervals": [{"start": "08:00", "end": "12:00"}]},
        headers=build.headers,
    )

    assert response.status_code == 200
    assert [(i["start"], i["end"]) for i in response.json()["intervals"]] == [("08:00", "12:00")]
    assert response.json()["breaks"] == [] and response.json()["version"] == 2


async def test_replacing_a_day_that_would_strand_a_booking_is_refused(build: Any) -> None:
    day = build.day(3)
    doctor = await build.doctor()
    schedule = await build.schedule(day=day, doctor_id=doctor["id"])
    appointment = await build.book(doctor["id"], day, "16:00")

    response = await build.edit(
        "PUT",
        f"/schedules/{schedule['id']}",
        json={"intervals": [{"start": "09:00", "end": "15:00"}]},
        headers=build.headers,
    )

    assert response.status_code == 409 and response.json()["conflicts"] == [appointment["id"]]


async def test_a_break_added_to_one_day_blocks_booking_in_it(build: Any) -> None:
    day = build.day(3)
    doctor = await build.doctor()
    schedule = await build.schedule(day=day, doctor_id=doctor["id"])

    changed = await build.post(f"/schedules/{schedule['id']}/breaks", {"start": "16:00", "end": "16:30"}, expect=200)

    assert [(b["start"], b["end"]) for b in changed["breaks"]] == [("13:00", "14:00"), ("16:00", "16:30")]
    assert (await build.try_book(doctor["id"], day, "16:00")).json()["reason"] == "in_break"


async def test_a_break_over_a_booked_patient_is_refused(build: Any) -> None:
    day = build.day(3)
    doctor = await build.doctor()
    schedule = await build.schedule(day=day, doctor_id=doctor["id"])
    appointment = await build.book(doctor["id"], day, "16:00")

    response = await build.edit(
        "POST", f"/schedules/{schedule['id']}/breaks", json={"start": "15:45", "end": "16:15"}, headers=build.headers
    )

    assert response.status_code == 409 and response.json()["conflicts"] == [appointment["id"]]


async def test_a_break_outside_working_time_is_refused(build: Any) -> None:
    doctor = await build.doctor()
    schedule = await build.schedule(day=build.day(3), doctor_id=doctor["id"])
    response = await build.edit(
        "POST", f"/schedules/{schedule['id']}/breaks", json={"start": "18:30", "end": "19:00"}, headers=build.headers
    )
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "start"


async def test_deleting_a_day_with_bookings_is_refused_and_an_empty_one_is_deleted(build: Any) -> None:
    day = build.day(3)
    busy, free = await build.doctor(), await build.doctor()
    busy_day = await build.schedule(day=day, doctor_id=busy["id"])
    free_day = await build.schedule(day=day, doctor_id=free["id"])
    await build.book(busy["id"], day, "10:00")

    refused = await build.edit("DELETE", f"/schedules/{busy_day['id']}", headers=build.headers)
    deleted = await build.edit("DELETE", f"/schedules/{free_day['id']}", headers=build.headers)

    assert (refused.status_code, deleted.status_code) == (409, 204)


async def test_bulk_fill_follows_the_weekday_pattern_and_keeps_existing_days(build: Any) -> None:
    doctor = await build.doctor()
    monday = build.day(7) - timedelta(days=build.day(7).weekday())
    existing = await build.schedule(day=monday, doctor_id=doctor["id"], intervals=(("10:00", "12:00"),), breaks=())
    body = day_body(
        doctor_id=doctor["id"],
        date_from=monday.isoformat(),
        date_to=(monday + timedelta(days=13)).isoformat(),
        weekdays=[0, 2, 4],
    )

    result = await build.post("/schedules/bulk", body, expect=200)

    assert len(result["created"]) == 5
    assert result["skipped"] == [
        {"date": monday.isoformat(), "reason": "exists", "schedule_id": existing["id"], "conflicts": []}
    ]
    listed = await build.get(
        "/schedules",
        doctor_id=doctor["id"],
        date_from=monday.isoformat(),
        date_to=(monday + timedelta(days=13)).isoformat(),
    )
    assert listed["total"] == 6
    assert {datetime.fromisoformat(s["date"]).weekday() for s in listed["items"]} == {0, 2, 4}


async def test_bulk_fill_replaces_existing_days_when_asked(build: Any) -> None:
    doctor = await build.doctor()
    day = build.day(5)
    await build.schedule(day=day, doctor_id=doctor["id"], intervals=(("10:00", "12:00"),), breaks=())
    body = day_body(
        doctor_id=doctor["id"],
        date_from=day.isoformat(),
        date_to=day.isoformat(),
        weekdays=[day.weekday()],
        replace_existing=True,
    )

    result = await build.post("/schedules/bulk", body, expect=200)

    assert result["replaced"] == [day.isoformat()]
    listed = await build.get("/schedules", doctor_id=doctor["id"], date_from=day.isoformat(), date_to=day.isoformat())
    assert listed["items"][0]["intervals"][0]["start"] == "09:00"


async def test_changing_schedules_needs_the_schedules_right(build: Any, writer: dict[str, str]) -> None:
    doctor = await build.doctor()
    response = await build.client.post(
        f"{API}/schedules", json=day_body(doctor_id=doctor["id"], date=build.day(3).isoformat()), headers=writer
    )
    assert response.status_code == 403
