"""Edit, resize, move and copy (SCH-5) with the booking checks, and the journal (SCH-10)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from scheduling_test_builders import API, same_instant

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def patch(build: Any, appointment_id: str, body: dict[str, Any]) -> Any:
    """PATCH as a client does: with the ETag of the version it read."""
    return await build.edit("PATCH", f"/appointments/{appointment_id}", json=body)


async def test_moving_to_a_free_time_keeps_the_length_and_is_journaled_as_moved(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00", 45)

    response = await patch(build, appointment["id"], {"start": build.at(day, "15:00")})

    assert response.status_code == 200
    moved = response.json()
    assert same_instant(moved["start"], datetime.fromisoformat(build.at(day, "15:00")))
    assert moved["duration_minutes"] == 45
    assert moved["version"] == appointment["version"] + 1
    entry = (await build.get(f"/appointments/{appointment['id']}/history"))["items"][-1]
    assert entry["action"] == "moved"
    assert {c["field"] for c in entry["changes"]} == {"start", "end"}
    assert entry["username"] == "admin"


async def test_moving_into_a_break_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00")

    response = await patch(build, appointment["id"], {"start": build.at(day, "13:00")})

    assert response.status_code == 409
    assert response.json()["reason"] == "in_break"


async def test_moving_onto_another_appointment_names_it(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    other = await build.book(doctor["id"], day, "11:00")
    appointment = await build.book(doctor["id"], day, "10:00")

    response = await patch(build, appointment["id"], {"start": build.at(day, "11:15")})

    assert response.status_code == 409
    assert response.json()["conflicts"] == [other["id"]]


async def test_moving_over_its_own_old_time_is_fine(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00", 60)
    assert (await patch(build, appointment["id"], {"start": build.at(day, "10:30")})).status_code == 200


async def test_resizing_into_the_next_appointment_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "10:00", 30)
    following = await build.book(doctor["id"], day, "10:30", 30)

    longer = await patch(build, appointment["id"], {"end": build.at(day, "10:45")})
    shorter = await patch(build, appointment["id"], {"duration_minutes": 15})

    assert longer.status_code == 409 and longer.json()["conflicts"] == [following["id"]]
    assert shorter.status_code == 200 and shorter.json()["duration_minutes"] == 15


async def test_moving_to_another_doctor_checks_that_doctors_day(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    colleague = await build.working_doctor(day, last_name="Кузнецов", first_name="Дмитрий")
    idle = await build.doctor()
    appointment = await build.book(doctor["id"], day, "10:00")

    refused = await patch(build, appointment["id"], {"doctor_id": idle["id"]})
    moved = await patch(build, appointment["id"], {"doctor_id": colleague["id"]})

    assert refused.status_code == 409
    assert moved.status_code == 200 and moved.json()["doctor_name"].startswith("Кузнецов")


async def test_editing_the_note_is_journaled_as_updated_field_by_field(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, note="первичный")

    response = await patch(build, appointment["id"], {"note": "перезвонить", "assistant": "Иванова"})

    assert response.status_code == 200
    entry = (await build.get(f"/appointments/{appointment['id']}/history"))["items"][-1]
    assert entry["action"] == "updated"
    assert entry["changes"] == [
        {"field": "assistant", "from": None, "to": "Иванова"},
        {"field": "note", "from": "первичный", "to": "перезвонить"},
    ]


async def test_processed_cannot_be_set_by_hand(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)

    response = await patch(build, appointment["id"], {"processed": True})

    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "processed"


async def test_an_edit_of_an_old_version_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    await patch(build, appointment["id"], {"note": "первая правка"})

    response = await patch(build, appointment["id"], {"note": "вторая", "version": appointment["version"]})

    assert response.status_code == 412
    assert response.json()["code"] == "version-mismatch" and response.json()["current_version"] == "2"


async def test_typed_patient_data_of_a_primary_patient_can_be_corrected(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)

    response = await patch(build, appointment["id"], {"patient": build.patient(last_name="Петрова")})

    assert response.json()["last_name"] == "Петрова"


async def test_editing_an_unknown_appointment_is_404(build: Any) -> None:
    response = await patch(build, "00000000-0000-0000-0000-0000000000ff", {"note": "x"})
    assert response.status_code == 404


async def test_every_change_publishes_the_new_version(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day)
    await patch(build, appointment["id"], {"start": build.at(day, "16:00")})

    envelope = await build.platform.wait_for_event("appointment.updated", lambda e: e.aggregate_id == appointment["id"])

    assert envelope.aggregate_version == 2
    assert same_instant(envelope.data["start"], datetime.fromisoformat(build.at(day, "16:00")))


async def test_copying_books_the_same_patient_at_another_time(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    service = await build.service()
    source = await build.book(doctor["id"], day, "10:00", 30, services=[{"service_id": service["id"]}])

    copy = await build.post(f"/appointments/{source['id']}/copy", {"start": build.at(day, "15:00")})

    assert copy["id"] != source["id"] and copy["number"] != source["number"]
    assert (copy["last_name"], copy["mobile_phone"], copy["duration_minutes"]) == ("Петров", "79229999999", 30)
    assert [s["service_id"] for s in copy["services"]] == [service["id"]]
    history = await build.get(f"/appointments/{copy['id']}/history")
    assert {"field": "copied_from", "from": None, "to": source["number"]} in history["items"][0]["changes"]


async def test_copying_to_another_doctor_at_the_same_time_is_fine(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    colleague = await build.working_doctor(day)
    source = await build.book(doctor["id"], day, "10:00")

    copy = await build.post(
        f"/appointments/{source['id']}/copy", {"start": build.at(day, "10:00"), "doctor_id": colleague["id"]}
    )

    assert copy["doctor_id"] == colleague["id"]


async def test_copying_into_a_taken_slot_is_refused(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    source = await build.book(doctor["id"], day, "10:00")

    response = await build.client.post(
        f"{API}/appointments/{source['id']}/copy", json={"start": build.at(day, "10:00")}, headers=build.headers
    )

    assert response.status_code == 409
    assert response.json()["conflicts"] == [source["id"]]
