"""The clinic's time zone is one setting of the platform (#14): an administrator changes it
through the gateway and every service uses it within seconds; answers show instants in it."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Iterator
from typing import Any

import pytest

from clinic_shared.clinic_time import set_clinic_zone
from clinic_shared.testing.platform import Platform

SERVICES = ["patients", "scheduling", "notifier", "ondoc", "profexam", "lab"]


@pytest.fixture(autouse=True)
def moscow_again() -> Iterator[None]:
    """The zone is process-wide: leave it as the other tests expect it."""
    yield
    set_clinic_zone("Europe/Moscow")


async def service_zones(platform: Platform) -> dict[str, str]:
    return {name: platform.app.state.embedded_apps[name].state.settings.timezone for name in SERVICES}


async def set_zone_and_wait(platform: Platform, zone: str) -> None:
    """Change the zone through the gateway and wait until every service has it: on RabbitMQ
    the change reaches the services a moment after the gateway answers."""
    current = await platform.client.get("/api/platform/settings", headers=platform.admin_headers)
    response = await platform.client.put(
        "/api/platform/settings",
        json={"timezone": zone},
        headers={**platform.admin_headers, "If-Match": current.headers["ETag"]},
    )
    assert response.status_code == 200, response.text
    async with asyncio.timeout(5):
        while set((await service_zones(platform)).values()) != {zone}:
            await asyncio.sleep(0.05)


async def test_every_service_uses_the_zone_set_through_the_gateway(platform: Platform) -> None:
    await set_zone_and_wait(platform, "Asia/Yekaterinburg")
    preferences = await platform.client.get("/api/scheduling/settings", headers=platform.admin_headers)
    assert preferences.json()["timezone"] == "Asia/Yekaterinburg"


async def test_answers_show_instants_with_the_clinics_offset(platform: Platform) -> None:
    await set_zone_and_wait(platform, "Asia/Yekaterinburg")
    users = await platform.client.get("/api/auth/users", headers=platform.admin_headers)
    settings = await platform.client.get("/api/platform/settings", headers=platform.admin_headers)
    assert users.json()["items"][0]["created_at"].endswith("+05:00")
    assert settings.json()["updated_at"].endswith("+05:00")


async def test_any_user_reads_the_zone_and_only_gateway_settings_changes_it(platform: Platform) -> None:
    nobody = await platform.headers_with([])
    read = await platform.client.get("/api/platform/settings", headers=nobody)
    change = await platform.client.put("/api/platform/settings", json={"timezone": "Europe/Samara"}, headers=nobody)
    assert read.status_code == 200 and read.json()["timezone"] == "Europe/Moscow"
    assert change.status_code == 403 and change.json()["missing_right"] == "gateway.settings"


@pytest.mark.parametrize("zone", ["Moscow", "Europe/Atlantis", "", "UTC+3"])
async def test_an_unknown_zone_is_refused_naming_the_field(platform: Platform, zone: str) -> None:
    response = await platform.client.put(
        "/api/platform/settings", json={"timezone": zone}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "timezone"


async def test_the_change_is_in_the_audit_log(platform: Platform) -> None:
    await platform.client.put(
        "/api/platform/settings",
        json={"timezone": "Europe/Samara"},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    log = await platform.client.get(
        "/api/auth/audit", params={"action": "platform.settings_changed"}, headers=platform.admin_headers
    )
    [entry] = log.json()["items"]
    assert entry["details"] == {"timezone": {"before": "Europe/Moscow", "after": "Europe/Samara"}}


INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$")


def instants(node: Any) -> list[str]:
    """Every ISO 8601 instant (a time with an offset) anywhere in a JSON answer."""
    if isinstance(node, str):
        return [node] if INSTANT.match(node) else []
    if isinstance(node, dict):
        return [found for value in node.values() for found in instants(value)]
    if isinstance(node, list):
        return [found for value in node for found in instants(value)]
    return []


async def test_no_answer_writes_an_instant_in_utc(platform: Platform) -> None:
    await set_zone_and_wait(platform, "Asia/Yekaterinburg")
    card = await platform.client.post(
        "/api/patients/cards", json={"last_name": "Зонова", "first_name": "Ирина"}, headers=platform.admin_headers
    )
    answers = [card.json()]
    for url in ("/api/patients/cards", "/api/ondoc/settings", "/api/auth/users", "/api/scheduling/settings"):
        answers.append((await platform.client.get(url, headers=platform.admin_headers)).json())
    written = [value for answer in answers for value in instants(answer)]
    assert written and all(value.endswith("+05:00") for value in written), written
