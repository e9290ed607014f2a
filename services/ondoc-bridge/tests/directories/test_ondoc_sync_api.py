"""Directories and free slots uploaded to ONDOC (OND-8): "sync now" and ONDOC's "request data"."""

from __future__ import annotations

import httpx
import pytest
from ondoc_testkit import FAKE, ONDOC, clinic_day, fake_state, needs_scheduling, scheduling_post, working_doctor

from clinic_shared.testing.platform import Platform

pytestmark = needs_scheduling
COMPANY = {"Authorization": "Bearer fake-company-token"}


@pytest.fixture
def platform_services() -> list[str]:
    return ["scheduling", "ondoc"]


async def ondoc_api_get(platform: Platform, path: str) -> httpx.Response:
    """ONDOC's own API (what its "request data" calls) on the in-process fake, with ONDOC's token."""
    fake = platform.app.state.embedded_apps["ondoc"].state.fake_ondoc
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=fake), base_url="http://fake-ondoc") as client:
        return await client.get(path, headers=COMPANY)


async def test_sync_now_uploads_doctors_specializations_services_and_free_slots(platform: Platform) -> None:
    day = clinic_day(1)
    doctor = await working_doctor(platform, day, online=True)
    service = await scheduling_post(platform, "/services", {"name": "Приём терапевта", "code": "T-1", "price": "1500"})
    response = await platform.client.post(f"{ONDOC}/sync", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    assert {item["kind"]: item["status"] for item in response.json()["items"]} == {
        "doctors": "uploaded",
        "services": "uploaded",
        "specializations": "uploaded",
        "free_slots": "uploaded",
    }
    state = await fake_state(platform)
    assert doctor["id"] in [d["mis_id"] for d in state["directories"]["doctors"]["items"]]
    assert service["id"] in [s["mis_id"] for s in state["directories"]["services"]["items"]]
    assert doctor["specialization_ids"][0] in [s["mis_id"] for s in state["directories"]["specializations"]["items"]]
    slots = state["free_slots"]["items"]
    assert slots and {s["doctor"]["mis_id"] for s in slots} == {doctor["id"]}
    assert slots[0]["start"].endswith("+03:00")


async def test_request_data_in_ondoc_returns_the_latest_upload_with_mapped_ids(platform: Platform) -> None:
    doctor = await working_doctor(platform, clinic_day(1))
    await platform.client.put(
        f"{ONDOC}/mappings/doctors/{doctor['id']}", json={"ondoc_id": "ONDOC-DOC-5"}, headers=platform.admin_headers
    )
    await platform.client.post(f"{ONDOC}/sync", headers=platform.admin_headers)
    latest = await ondoc_api_get(platform, "/api/v1/directories/doctors")
    assert latest.status_code == 200
    [uploaded] = [d for d in latest.json()["items"] if d["mis_id"] == doctor["id"]]
    assert uploaded["ondoc_id"] == "ONDOC-DOC-5"


async def test_doctors_not_bookable_online_get_no_free_slots_uploaded(platform: Platform) -> None:
    await working_doctor(platform, clinic_day(1), online=False)
    await platform.client.post(f"{ONDOC}/sync", headers=platform.admin_headers)
    assert (await fake_state(platform))["free_slots"]["items"] == []


async def test_a_failed_upload_answers_502_and_is_recorded(platform: Platform) -> None:
    await platform.client.post(f"{FAKE}/fail", json={"mode": "error", "count": 10}, headers=platform.admin_headers)
    response = await platform.client.post(f"{ONDOC}/sync", headers=platform.admin_headers)
    assert response.status_code == 502
    state = await platform.client.get(f"{ONDOC}/sync", headers=platform.admin_headers)
    assert {item["status"] for item in state.json()["items"]} == {"failed"}
    assert all("500" in item["last_error"] for item in state.json()["items"]), state.json()["items"]


async def test_sync_now_needs_the_sync_right(platform: Platform) -> None:
    reader = await platform.headers_with(["ondoc.read"])
    assert (await platform.client.post(f"{ONDOC}/sync", headers=reader)).status_code == 403
