"""Demo data of embedded mode: loaded on first start, once (SCH-1, SCH-2)."""

from __future__ import annotations

from typing import Any

import pytest

from scheduling.demo import load_demo
from scheduling.localtime import zone

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def module_settings() -> dict[str, Any]:
    return {"demo_data": True}


async def totals(build: Any) -> dict[str, int]:
    names = (
        "buildings",
        "doctors",
        "cabinets",
        "services",
        "appointment-statuses",
        "deletion-reasons",
        "record-types",
        "day-types",
        "schedules",
    )
    return {name: (await build.get(f"/{name}", limit=1))["total"] for name in names}


async def test_demo_directories_and_two_weeks_of_schedules_are_loaded(build: Any) -> None:
    found = await totals(build)
    assert found["buildings"] == 2 and found["doctors"] == 10 and found["services"] == 15
    assert found["schedules"] >= 10 * 8  # ten doctors, at least eight weekdays in any 14 days
    statuses = (await build.get("/appointment-statuses", limit=50))["items"]
    assert [s["name"] for s in statuses if s["sets_processed"]] == ["Пришёл"]
    codes = {t["code"] for t in (await build.get("/record-types", limit=50))["items"]}
    assert {"online", "ondoc", "phone"} <= codes
    buildings = (await build.get("/buildings"))["items"]
    assert all(b["address"] for b in buildings)


async def test_a_demo_doctor_can_be_booked_on_a_working_day(build: Any) -> None:
    schedule = (await build.get("/schedules", date_from=build.day(1).isoformat(), limit=1))["items"][0]
    day = schedule["date"]
    response = await build.try_book(schedule["doctor_id"], build.today().fromisoformat(day), "10:00")
    assert response.status_code == 201


async def test_loading_again_adds_nothing(build: Any) -> None:
    before = await totals(build)
    runtime = build.platform.app.state.embedded_apps["scheduling"].state.runtime

    async with runtime.db.session() as session:
        loaded = await load_demo(session, tz=zone(runtime.settings.timezone))

    assert loaded is False
    assert await totals(build) == before
