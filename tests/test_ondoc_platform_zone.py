"""ONDOC works in the platform's clinic zone (OND-1, OND-4, #14): after an administrator changes
the zone through the gateway, an appointment booked at the desk reaches ONDOC on the new clock,
and the ONDOC settings take a zone only as a check against it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from clinic_shared.clinic_time import set_clinic_zone
from clinic_shared.testing.platform import Platform

YEKATERINBURG = "Asia/Yekaterinburg"
FAKE = "/api/ondoc/fake-ondoc/_control"


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "scheduling", "ondoc"]


@pytest.fixture(autouse=True)
def fake_ondoc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The fake ONDOC in-process with a quick outbound worker; the zone left as Moscow after."""
    monkeypatch.setenv("CLINIC_ONDOC_FAKE", "true")
    monkeypatch.setenv("CLINIC_ONDOC_WORKER_POLL_SECONDS", "0.05")
    monkeypatch.setenv("CLINIC_ONDOC_FIRST_SYNC_DELAY_SECONDS", "3600")
    yield
    set_clinic_zone("Europe/Moscow")


async def set_zone_and_wait(platform: Platform, zone: str) -> None:
    """Change the zone through the gateway and wait until the bridge and scheduling have it."""
    current = await platform.client.get("/api/platform/settings", headers=platform.admin_headers)
    response = await platform.client.put(
        "/api/platform/settings",
        json={"timezone": zone},
        headers={**platform.admin_headers, "If-Match": current.headers["ETag"]},
    )
    assert response.status_code == 200, response.text
    apps = [platform.app.state.embedded_apps[name] for name in ("ondoc", "scheduling")]
    async with asyncio.timeout(5):
        while any(app.state.settings.timezone != zone for app in apps):
            await asyncio.sleep(0.05)


async def post(platform: Platform, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
    response = await platform.client.post(path, json=body, headers=platform.admin_headers)
    assert response.status_code in (200, 201), response.text
    return response.json()  # type: ignore[no-any-return]


async def attached_card(platform: Platform) -> dict[str, Any]:
    """A card attached to ONDOC through the fake's "patient typed the code"."""
    card = await post(
        platform,
        "/api/patients/cards",
        {
            "last_name": "Уралова",
            "first_name": "Ольга",
            "middle_name": "Петровна",
            "birth_date": "1985-04-05",
            "mobile_phone": "+7 922 333-44-55",
        },
    )
    code = await post(platform, f"/api/ondoc/patients/{card['id']}/attach-code")
    attached = await post(platform, f"{FAKE}/attach", {"code": code["code"]})
    assert attached["status"] == 200, attached
    return card


async def working_doctor(platform: Platform, day: date) -> dict[str, Any]:
    specialization = await post(
        platform, "/api/scheduling/specializations", {"name": f"Терапевт {uuid.uuid4().hex[:4]}"}
    )
    doctor = await post(
        platform,
        "/api/scheduling/doctors",
        {"last_name": "Петров", "first_name": "Пётр", "specialization_ids": [specialization["id"]]},
    )
    await post(
        platform,
        "/api/scheduling/schedules",
        {"doctor_id": doctor["id"], "date": day.isoformat(), "intervals": [{"start": "09:00", "end": "18:00"}]},
    )
    return doctor


async def ondoc_copy(platform: Platform, appointment_id: str) -> dict[str, Any]:
    """The fake ONDOC's copy of an appointment, once it arrived."""
    async with asyncio.timeout(15):
        while True:
            response = await platform.client.get(f"{FAKE}/state", headers=platform.admin_headers)
            held = response.json()["appointments"].get(appointment_id)
            if held is not None:
                return held["current"]  # type: ignore[no-any-return]
            await asyncio.sleep(0.05)


async def test_an_appointment_reaches_ondoc_on_the_clock_set_through_the_gateway(platform: Platform) -> None:
    await set_zone_and_wait(platform, YEKATERINBURG)
    zone = ZoneInfo(YEKATERINBURG)
    day = datetime.now(UTC).astimezone(zone).date() + timedelta(days=3)
    card = await attached_card(platform)
    doctor = await working_doctor(platform, day)
    start = datetime.combine(day, time(10, 0), tzinfo=zone)

    booked = await post(
        platform,
        "/api/scheduling/appointments",
        {"doctor_id": doctor["id"], "start": start.isoformat(), "duration_minutes": 30, "patient_id": card["id"]},
    )

    held = await ondoc_copy(platform, booked["id"])
    assert held["start"] == f"{day.isoformat()}T10:00:00+05:00"
    assert held["end"] == f"{day.isoformat()}T10:30:00+05:00"


async def test_the_ondoc_settings_check_a_zone_against_the_one_set_through_the_gateway(platform: Platform) -> None:
    await set_zone_and_wait(platform, YEKATERINBURG)

    refused = await platform.client.put(
        "/api/ondoc/settings", json={"time_zone": "+03:00"}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    accepted = await platform.client.put(
        "/api/ondoc/settings", json={"time_zone": "+05:00"}, headers={**platform.admin_headers, "If-Match": "*"}
    )

    assert refused.status_code == 422 and [e["field"] for e in refused.json()["errors"]] == ["time_zone"]
    assert refused.json()["time_zone"] == YEKATERINBURG
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["time_zone"], accepted.json()["time_zone_offset"]) == (YEKATERINBURG, "+05:00")
