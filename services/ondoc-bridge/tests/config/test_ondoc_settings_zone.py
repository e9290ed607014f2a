"""The clinic zone of the ONDOC settings is the platform's (OND-1, #14): GET shows the zone in
effect, a PUT may send a zone only as a check, and times go to ONDOC in the platform's zone."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from ondoc_testkit import ONDOC, Publish, appointment_event, appointment_state, attach_patient, wait_for_fake_version

from clinic_shared.clinic_time import set_clinic_zone
from clinic_shared.testing.platform import Platform

SETTINGS = f"{ONDOC}/settings"


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "ondoc"]  # patients: the attached card of the last test


@pytest.fixture(autouse=True)
def moscow_again() -> Iterator[None]:
    """The zone is process-wide: leave it as the other tests expect it."""
    yield
    set_clinic_zone("Europe/Moscow")


async def set_platform_zone(platform: Platform, zone: str) -> None:
    """Change the clinic zone through the gateway and wait until the bridge has it (on RabbitMQ
    it arrives a moment after the gateway answers)."""
    response = await platform.client.put(
        "/api/platform/settings", json={"timezone": zone}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 200, response.text
    bridge = platform.app.state.embedded_apps["ondoc"]
    async with asyncio.timeout(5):
        while bridge.state.settings.timezone != zone:
            await asyncio.sleep(0.05)


async def put_settings(platform: Platform, body: dict[str, object]):  # type: ignore[no-untyped-def]
    return await platform.client.put(SETTINGS, json=body, headers={**platform.admin_headers, "If-Match": "*"})


async def test_the_settings_show_the_platforms_zone(platform: Platform) -> None:
    body = (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json()
    assert (body["time_zone"], body["time_zone_offset"]) == ("Europe/Moscow", "+03:00")


@pytest.mark.parametrize("zone", ["+03:00", "GMT+3", "Europe/Moscow", "Europe/Istanbul"])
async def test_a_zone_on_the_clinic_clock_is_accepted_and_changes_nothing(platform: Platform, zone: str) -> None:
    response = await put_settings(platform, {"time_zone": zone, "refresh_interval_minutes": 15})
    assert response.status_code == 200, response.text
    assert (response.json()["time_zone"], response.json()["refresh_interval_minutes"]) == ("Europe/Moscow", 15)


@pytest.mark.parametrize("zone", ["+05:00", "Asia/Yekaterinburg", "UTC"])
async def test_a_zone_off_the_clinic_clock_is_refused_naming_the_field_and_the_zone_in_effect(
    platform: Platform, zone: str
) -> None:
    before = (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json()
    response = await put_settings(platform, {"time_zone": zone, "refresh_interval_minutes": 15})
    assert response.status_code == 422, response.text
    problem = response.json()
    assert [e["field"] for e in problem["errors"]] == ["time_zone"]
    assert (problem["time_zone"], problem["time_zone_offset"]) == ("Europe/Moscow", "+03:00")
    assert "Europe/Moscow" in problem["errors"][0]["message"]
    assert (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json() == before


async def test_after_the_platform_zone_changes_the_check_follows_it(platform: Platform) -> None:
    await set_platform_zone(platform, "Asia/Yekaterinburg")
    shown = (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json()
    assert (shown["time_zone"], shown["time_zone_offset"]) == ("Asia/Yekaterinburg", "+05:00")
    assert (await put_settings(platform, {"time_zone": "+03:00"})).status_code == 422
    assert (await put_settings(platform, {"time_zone": "+05:00"})).status_code == 200


async def test_appointments_reach_ondoc_in_the_platforms_zone(platform: Platform, publish: Publish) -> None:
    await set_platform_zone(platform, "Asia/Yekaterinburg")
    card, _ = await attach_patient(platform)
    state = appointment_state(card["id"], start=datetime(2030, 5, 6, 7, 0, tzinfo=UTC))
    await publish(appointment_event("appointment.created", state, 1))
    held = await wait_for_fake_version(platform, state.id, 1)
    assert (held["current"]["start"], held["current"]["end"]) == (
        "2030-05-06T12:00:00+05:00",
        "2030-05-06T12:30:00+05:00",
    )
    assert held["current"]["time_zone"] == "Asia/Yekaterinburg"
