"""A cancellation from ONDOC names scheduling's reserved reason by its code (OND-5, #14): the
bridge no longer looks the reason up in /deletion-reasons, so a failing lookup can never leave
the reason out (and ONDOC with a final 422 when a reason is required). Only the bridge may
name that code."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import httpx
import pytest
from ondoc_testkit import FAKE, SCHEDULING, attach_patient, clinic_day, clinic_time, needs_scheduling, working_doctor

from clinic_shared.testing.platform import Platform

pytestmark = needs_scheduling


@pytest.fixture
def scheduling_calls(platform: Platform) -> Iterator[list[str]]:
    """Paths the bridge calls on scheduling; a call to /deletion-reasons fails as if scheduling's
    directory could not be read."""
    runtime = platform.app.state.embedded_apps["ondoc"].state.runtime
    runtime.peer("scheduling")  # makes the shared client the bridge's calls go through
    client: httpx.AsyncClient = runtime.state["peer:scheduling"]
    paths: list[str] = []

    async def record(request: httpx.Request) -> None:
        paths.append(request.url.path)
        if request.url.path.endswith("/deletion-reasons"):
            raise httpx.ConnectError("the directory of deletion reasons cannot be read", request=request)

    client.event_hooks["request"].append(record)
    yield paths
    client.event_hooks["request"].remove(record)


async def require_a_reason(platform: Platform) -> None:
    response = await platform.client.put(
        f"{SCHEDULING}/settings",
        json={"deletion_reason_required": True},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    assert response.status_code == 200, response.text


async def booked_from_ondoc(platform: Platform, ondoc_patient_id: str, clock: str) -> str:
    day = clinic_day()
    doctor = await working_doctor(platform, day)
    response = await platform.client.post(
        f"{FAKE}/book",
        json={
            "ondoc_patient_id": ondoc_patient_id,
            "ondoc_appointment_id": f"ondoc-{uuid.uuid4().hex[:8]}",
            "doctor_mis_id": doctor["id"],
            "start": clinic_time(day, clock),
            "duration_minutes": 30,
        },
        headers=platform.admin_headers,
    )
    assert response.json()["status"] == 201, response.json()
    return str(response.json()["body"]["appointment_id"])


async def test_a_cancel_from_ondoc_goes_through_without_looking_up_the_deletion_reasons(
    platform: Platform, scheduling_calls: list[str]
) -> None:
    _, ondoc_patient_id = await attach_patient(platform)
    await require_a_reason(platform)
    appointment_id = await booked_from_ondoc(platform, ondoc_patient_id, "11:00")

    response = await platform.client.post(
        f"{FAKE}/cancel",
        json={"ondoc_patient_id": ondoc_patient_id, "mis_appointment_id": appointment_id, "reason": "Заболел"},
        headers=platform.admin_headers,
    )

    assert response.json()["status"] == 200, response.json()
    assert not [path for path in scheduling_calls if path.endswith("/deletion-reasons")], scheduling_calls
    stored = await platform.client.get(f"{SCHEDULING}/appointments/{appointment_id}", headers=platform.admin_headers)
    assert stored.json()["deleted"] is True
    assert (stored.json()["deletion_reason"], stored.json()["deletion_comment"]) == (
        "Отменена пациентом в ONDOC",
        "Заболел",
    )


async def test_a_user_cannot_delete_with_the_reserved_ondoc_reason(platform: Platform) -> None:
    _, ondoc_patient_id = await attach_patient(platform)
    appointment_id = await booked_from_ondoc(platform, ondoc_patient_id, "12:00")

    response = await platform.client.delete(
        f"{SCHEDULING}/appointments/{appointment_id}",
        params={"reason_code": "ondoc_patient"},
        headers={**platform.admin_headers, "If-Match": "*"},
    )

    assert response.status_code == 403, response.text
    stored = await platform.client.get(f"{SCHEDULING}/appointments/{appointment_id}", headers=platform.admin_headers)
    assert stored.json()["deleted"] is False


async def test_the_bridge_cannot_name_the_website_reason(platform: Platform) -> None:
    _, ondoc_patient_id = await attach_patient(platform)
    appointment_id = await booked_from_ondoc(platform, ondoc_patient_id, "13:00")
    runtime = platform.app.state.embedded_apps["ondoc"].state.runtime

    response = await platform.client.delete(
        f"{SCHEDULING}/appointments/{appointment_id}",
        params={"reason_code": "online_patient"},
        headers={"Authorization": f"Bearer {runtime.service_token()}"},
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "reason_code"


async def test_a_reason_code_and_a_reason_id_together_are_refused(platform: Platform) -> None:
    _, ondoc_patient_id = await attach_patient(platform)
    appointment_id = await booked_from_ondoc(platform, ondoc_patient_id, "14:00")
    runtime = platform.app.state.embedded_apps["ondoc"].state.runtime

    response = await platform.client.delete(
        f"{SCHEDULING}/appointments/{appointment_id}",
        params={"reason_code": "ondoc_patient", "reason_id": str(uuid.uuid4())},
        headers={"Authorization": f"Bearer {runtime.service_token()}"},
    )

    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "reason_code"
