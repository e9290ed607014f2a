"""The whole ONDOC flow through the gateway, in-process, with patients, scheduling and the
fake ONDOC: attach, appointments pushed, booked and refused from ONDOC, card deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ondoc_testkit import (
    CARDS,
    FAKE,
    SCHEDULING,
    attach_patient,
    clinic_day,
    clinic_time,
    fake_appointment,
    fake_state,
    needs_scheduling,
    scheduling_appointment,
    scheduling_post,
    wait_until,
    working_doctor,
)

from clinic_shared.testing.platform import Platform

pytestmark = needs_scheduling


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "scheduling", "ondoc"]


async def ondoc_copy(platform: Platform, appointment_id: str, check: Callable[[dict[str, Any]], bool]) -> dict:
    """The fake ONDOC's copy of an appointment once `check` holds for it."""
    found: dict[str, Any] = {}

    async def arrived() -> bool:
        held = await fake_appointment(platform, appointment_id)
        if held is not None and check(held["current"]):
            found.update(held)
            return True
        return False

    await wait_until(arrived, what="the appointment's state in ONDOC")
    return found


async def test_the_ondoc_flow_end_to_end(platform: Platform) -> None:
    headers = platform.admin_headers
    card, ondoc_patient_id = await attach_patient(platform)
    day = clinic_day()
    doctor = await working_doctor(platform, day)

    # Booked at the desk → ONDOC holds it, on the clinic clock.
    booked = await scheduling_post(
        platform,
        "/appointments",
        {
            "doctor_id": doctor["id"],
            "start": clinic_time(day, "10:00"),
            "duration_minutes": 30,
            "patient_id": card["id"],
        },
    )
    held = await ondoc_copy(platform, booked["id"], lambda c: c["status"] == "active")
    assert held["current"]["ondoc_patient_id"] == ondoc_patient_id
    assert held["current"]["start"] == clinic_time(day, "10:00")

    # Moved → updated in ONDOC.
    response = await platform.client.patch(
        f"{SCHEDULING}/appointments/{booked['id']}",
        json={"start": clinic_time(day, "11:00")},
        headers={**headers, "If-Match": "*"},
    )
    assert response.status_code == 200, response.text
    await ondoc_copy(platform, booked["id"], lambda c: c["start"] == clinic_time(day, "11:00"))

    # Deleted with a reason → cancelled with that reason.
    reason = await scheduling_post(platform, "/deletion-reasons", {"name": "Пациент заболел"})
    response = await platform.client.delete(
        f"{SCHEDULING}/appointments/{booked['id']}",
        params={"reason_id": reason["id"]},
        headers={**headers, "If-Match": "*"},
    )
    assert response.status_code == 204, response.text
    cancelled = await ondoc_copy(platform, booked["id"], lambda c: c["status"] == "cancelled")
    assert cancelled["current"]["cancel_reason"] == "Пациент заболел"

    # Restored → active again (the source system could not tell ONDOC, OND-6).
    response = await platform.client.post(f"{SCHEDULING}/appointments/{booked['id']}/restore", json={}, headers=headers)
    assert response.status_code == 200, response.text
    restored = await ondoc_copy(platform, booked["id"], lambda c: c["status"] == "active")
    assert restored["versions"] == sorted(restored["versions"])

    # Booked in ONDOC → in scheduling, and its state comes back to ONDOC under ONDOC's id.
    answer = (
        await platform.client.post(
            f"{FAKE}/book",
            json={
                "ondoc_patient_id": ondoc_patient_id,
                "ondoc_appointment_id": "ondoc-42",
                "doctor_mis_id": doctor["id"],
                "start": clinic_time(day, "14:00"),
                "duration_minutes": 30,
            },
            headers=platform.admin_headers,
        )
    ).json()
    assert answer["status"] == 201, answer
    from_ondoc = await scheduling_appointment(platform, answer["body"]["appointment_id"])
    assert (from_ondoc["patient_id"], from_ondoc["record_type_code"]) == (card["id"], "ondoc")
    echoed = await ondoc_copy(platform, from_ondoc["id"], lambda c: c["ondoc_appointment_id"] == "ondoc-42")
    assert echoed["current"]["status"] == "active"

    # ONDOC books the taken slot → refused.
    refused = (
        await platform.client.post(
            f"{FAKE}/book",
            json={
                "ondoc_patient_id": ondoc_patient_id,
                "doctor_mis_id": doctor["id"],
                "start": clinic_time(day, "14:00"),
                "duration_minutes": 30,
            },
            headers=platform.admin_headers,
        )
    ).json()
    assert refused["status"] == 409

    # The card is deleted → the patient is detached in ONDOC.
    assert (
        await platform.client.delete(f"{CARDS}/{card['id']}", headers={**headers, "If-Match": "*"})
    ).status_code == 204

    async def detached() -> bool:
        return (await fake_state(platform))["patients"][ondoc_patient_id]["status"] == "detached"

    await wait_until(detached, what="the patient detached in ONDOC")
    # What ONDOC shows the patient is in Russian, as every text a clinic or a patient sees.
    assert (await fake_state(platform))["patients"][ondoc_patient_id]["detach_reason"] == (
        "Карта пациента удалена в клинике"
    )
