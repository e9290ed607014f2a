"""Schedules and bookings on DST-change days, in a clinic on Europe/Berlin time (SCH-2)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from scheduling_test_builders import API, same_instant

pytestmark = pytest.mark.asyncio(loop_scope="module")
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture(scope="module")
def module_settings() -> dict[str, Any]:
    return {"timezone": "Europe/Berlin"}


def next_spring_forward(after: date) -> date:
    """The next date on which Berlin's clocks go forward."""
    day = after
    while True:
        day += timedelta(days=1)
        morning = datetime.combine(day, time(0, 0), tzinfo=BERLIN).utcoffset()
        evening = datetime.combine(day, time(23, 0), tzinfo=BERLIN).utcoffset()
        if morning is not None and evening is not None and evening > morning:
            return day


async def test_spring_forward_day_has_summer_time_instants(build: Any) -> None:
    doctor = await build.doctor()

    schedule = await build.schedule(day=date(2026, 3, 29), doctor_id=doctor["id"], breaks=())
    day_before = await build.schedule(day=date(2026, 3, 28), doctor_id=doctor["id"], breaks=())

    assert same_instant(schedule["intervals"][0]["starts_at"], datetime(2026, 3, 29, 7, 0, tzinfo=UTC))
    assert same_instant(schedule["intervals"][0]["ends_at"], datetime(2026, 3, 29, 16, 0, tzinfo=UTC))
    assert same_instant(day_before["intervals"][0]["starts_at"], datetime(2026, 3, 28, 8, 0, tzinfo=UTC))


async def test_a_time_skipped_by_the_clock_change_is_refused(build: Any) -> None:
    doctor = await build.doctor()
    body = {"doctor_id": doctor["id"], "date": "2026-03-29", "intervals": [{"start": "02:30", "end": "08:00"}]}

    response = await build.client.post(f"{API}/schedules", json=body, headers=build.headers)

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "intervals.0.start"


async def test_repeated_hour_of_fall_back_is_taken_at_its_first_occurrence(build: Any) -> None:
    doctor = await build.doctor()

    schedule = await build.schedule(
        day=date(2026, 10, 25), doctor_id=doctor["id"], intervals=(("02:30", "06:00"),), breaks=()
    )

    interval = schedule["intervals"][0]
    assert same_instant(interval["starts_at"], datetime(2026, 10, 25, 0, 30, tzinfo=UTC))
    assert same_instant(interval["ends_at"], datetime(2026, 10, 25, 5, 0, tzinfo=UTC))


async def test_booking_on_the_next_spring_forward_day_uses_summer_time(build: Any) -> None:
    day = next_spring_forward(build.today())
    doctor = await build.doctor()
    await build.schedule(day=day, doctor_id=doctor["id"])

    appointment = await build.book(doctor["id"], day, "09:00", 30)

    summer = datetime.combine(day, time(7, 0), tzinfo=UTC)
    assert same_instant(appointment["start"], summer)
    assert (await build.try_book(doctor["id"], day, "08:30", 30)).status_code == 409
