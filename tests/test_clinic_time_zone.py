"""The clinic's time zone is one setting of the platform (#14): an administrator changes it
through the gateway and every service uses it within seconds; answers show instants in it."""

from __future__ import annotations

import asyncio
import datetime as dt
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


# GET routes the walk leaves out: streams and files are not JSON answers, the fake providers
# are test doubles, and the docs pages are HTML.
NOT_JSON = ("/stream", "/events", ".xlsx", ".csv", ".pdf", "/export", "/docs", "/redoc", "/fake-", "/metrics")


async def seed_a_working_day(platform: Platform, day: str) -> dict[str, str]:
    """A doctor with a schedule and an appointment on `day` and a patient card: answers that
    carry instants are then not empty. The ids of what was made, for the by-id GETs."""
    client, headers = platform.client, platform.admin_headers
    doctor = await client.post(
        "/api/scheduling/doctors",
        json={"last_name": "Зонов", "first_name": "Пётр", "specialization_ids": [], "online_booking": True},
        headers=headers,
    )
    assert doctor.status_code == 201, doctor.text
    schedule = await client.post(
        "/api/scheduling/schedules",
        json={
            "doctor_id": doctor.json()["id"],
            "date": day,
            "intervals": [{"start": "09:00", "end": "18:00"}],
            "breaks": [{"start": "13:00", "end": "14:00"}],
        },
        headers=headers,
    )
    assert schedule.status_code == 201, schedule.text
    card = await client.post(
        "/api/patients/cards", json={"last_name": "Зонова", "first_name": "Ирина"}, headers=headers
    )
    assert card.status_code == 201, card.text
    appointment = await client.post(
        "/api/scheduling/appointments",
        json={
            "doctor_id": doctor.json()["id"],
            "start": f"{day}T10:00:00+05:00",
            "duration_minutes": 30,
            "patient_id": card.json()["id"],
        },
        headers=headers,
    )
    assert appointment.status_code == 201, appointment.text
    return {
        "doctor": doctor.json()["id"],
        "schedule": schedule.json()["id"],
        "card": card.json()["id"],
        "appointment": appointment.json()["id"],
    }


async def json_answers(platform: Platform, day: str, made: dict[str, str]) -> dict[str, tuple[int, Any]]:
    """Every GET route of the merged OpenAPI that needs no path parameter (the widget's with
    its API key; those that need a filter with one that finds the seeded day), plus the seeded
    objects by id: url -> (status, JSON answer). Answers that are not JSON are skipped."""
    client, headers = platform.client, platform.admin_headers
    key = await client.post("/api/scheduling/online/api-keys", json={"label": "scan"}, headers=headers)
    widget = {"X-Api-Key": key.json()["key"]}
    spec = (await client.get("/api/openapi.json")).json()
    period = {"date_from": day, "date_to": day}
    urls: dict[str, dict[str, str]] = {
        path: {}
        for path, operations in spec["paths"].items()
        if "get" in operations and "{" not in path and not any(part in path for part in NOT_JSON)
    }
    urls |= {
        "/api/scheduling/schedules": {**period, "doctor_id": made["doctor"]},
        "/api/scheduling/calendar": {**period, "doctor_id": made["doctor"]},
        "/api/scheduling/free-slots": {**period, "doctor_id": made["doctor"]},
        "/api/scheduling/online/free-slots": {**period, "doctor_id": made["doctor"]},
        "/api/scheduling/calendar/patient-search": {"q": "Зонова"},
        f"/api/scheduling/doctors/{made['doctor']}": {},
        f"/api/scheduling/schedules/{made['schedule']}": {},
        f"/api/scheduling/appointments/{made['appointment']}": {},
        f"/api/patients/cards/{made['card']}": {},
    }
    answers: dict[str, tuple[int, Any]] = {}
    for url, params in urls.items():
        as_whom = widget if url.startswith("/api/scheduling/online/") else headers
        response = await client.get(url, params=params, headers=as_whom)
        if response.status_code == 401 and as_whom is widget:
            response = await client.get(url, params=params, headers=headers)  # a staff route under /online
        if response.headers.get("content-type", "").split(";")[0] in {"application/json", "application/problem+json"}:
            answers[url] = (response.status_code, response.json())
    return answers


async def test_no_answer_writes_an_instant_in_utc(platform: Platform) -> None:
    await set_zone_and_wait(platform, "Asia/Yekaterinburg")
    day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    made = await seed_a_working_day(platform, day)
    answers = await json_answers(platform, day, made)
    refused = {url: status for url, (status, _) in answers.items() if status >= 400}
    seeded = [
        "/api/scheduling/schedules",
        "/api/scheduling/calendar",
        "/api/scheduling/free-slots",
        "/api/scheduling/online/free-slots",
        "/api/scheduling/calendar/patient-search",
        f"/api/scheduling/appointments/{made['appointment']}",
    ]
    assert not refused, refused  # a route the walk cannot read is a route it does not check
    assert all(instants(answers[url][1]) for url in seeded), {url: answers[url] for url in seeded}
    in_utc = {
        url: [value for value in instants(answer) if value.endswith(("Z", "+00:00"))]
        for url, (_, answer) in answers.items()
    }
    assert not {url: values for url, values in in_utc.items() if values}
