"""GET|PUT /settings and the rules that follow them: grid step, booking window (SCH-3, SCH-4)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio

pytestmark = pytest.mark.asyncio(loop_scope="module")
DEFAULTS = {
    "grid_step_minutes": 15,
    "deletion_reason_required": False,
    "booking_horizon_days": 365,
    "booking_past_days": 1,
}


@pytest_asyncio.fixture(loop_scope="module")
async def settings(build: Any) -> AsyncIterator[Any]:
    """PUT /settings for one test; the defaults are put back after it."""

    async def put(**values: Any) -> Any:
        response = await build.edit("PUT", "/settings", json=values, headers=build.headers)
        return response

    yield put
    await put(**DEFAULTS)


async def test_defaults_and_the_clinic_time_zone_are_shown(build: Any) -> None:
    current = await build.get("/settings")
    assert {k: current[k] for k in DEFAULTS} == DEFAULTS
    assert current["timezone"] == "Europe/Moscow"


@pytest.mark.parametrize("step", [4, 61])
async def test_grid_step_outside_5_to_60_is_refused(settings: Any, step: int) -> None:
    response = await settings(grid_step_minutes=step)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "grid_step_minutes"


async def test_changing_settings_needs_the_settings_right(build: Any, reader: dict[str, str]) -> None:
    response = await build.edit("PUT", "/settings", json={"grid_step_minutes": 30}, headers=reader)
    assert response.status_code == 403


async def test_grid_step_is_the_default_duration_of_a_new_appointment(build: Any, settings: Any) -> None:
    assert (await settings(grid_step_minutes=20)).status_code == 200
    day = build.day(1)
    doctor = await build.working_doctor(day)
    body = {"doctor_id": doctor["id"], "start": build.at(day, "10:00"), "patient": build.patient()}

    appointment = await build.post("/appointments", body)

    assert appointment["duration_minutes"] == 20


async def test_booking_past_the_horizon_is_refused(build: Any, settings: Any) -> None:
    await settings(booking_horizon_days=10)
    day = build.day(11)
    doctor = await build.working_doctor(day)

    response = await build.try_book(doctor["id"], day, "10:00")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start"


async def test_booking_within_the_horizon_is_accepted(build: Any, settings: Any) -> None:
    await settings(booking_horizon_days=10)
    day = build.day(10)
    doctor = await build.working_doctor(day)
    assert (await build.try_book(doctor["id"], day, "10:00")).status_code == 201


async def test_booking_more_than_a_year_ahead_is_refused_by_default(build: Any) -> None:
    day = build.day(366)
    doctor = await build.working_doctor(day)

    response = await build.try_book(doctor["id"], day, "10:00")

    assert response.status_code == 422
    assert "ahead" in response.json()["errors"][0]["message"]


async def test_booking_days_in_the_past_is_refused(build: Any) -> None:
    day = build.day(-2)
    doctor = await build.working_doctor(day)

    response = await build.try_book(doctor["id"], day, "10:00")

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "start"


async def test_booking_yesterday_is_allowed_by_default(build: Any) -> None:
    day = build.day(-1)
    doctor = await build.working_doctor(day)
    assert (await build.try_book(doctor["id"], day, "10:00")).status_code == 201
