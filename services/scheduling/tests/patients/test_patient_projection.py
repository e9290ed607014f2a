"""The patients projection fed by `patient.*` events (scheduling alone, events put on the bus)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from scheduling_test_builders import event, eventually

pytestmark = pytest.mark.asyncio(loop_scope="module")


def card_state(card_id: uuid.UUID, **fields: Any) -> dict[str, Any]:
    return {
        "id": str(card_id),
        "card_number": "000777",
        "last_name": "Орлова",
        "first_name": "Вера",
        "middle_name": "Павловна",
        "birth_date": "1970-01-01",
        "mobile_phone": "79170000001",
        **fields,
    }


async def book_when_known(build: Any, doctor_id: str, card_id: uuid.UUID, clock: str = "10:00") -> Any:
    """Book the card once its event has been applied (events are asynchronous)."""
    day = build.day(1)

    async def booked() -> Any:
        response = await build.try_book(doctor_id, day, clock, patient_id=str(card_id))
        return response.json() if response.status_code == 201 else None

    return await eventually(booked)


async def test_a_card_from_patient_created_can_be_booked_with_its_data(build: Any) -> None:
    card_id = uuid.uuid4()
    doctor = await build.working_doctor()
    await build.publish(event("patient.created", card_state(card_id), aggregate_id=card_id))

    appointment = await book_when_known(build, doctor["id"], card_id)

    assert (appointment["last_name"], appointment["mobile_phone"]) == ("Орлова", "79170000001")
    assert appointment["card_number"] == "000777" and appointment["is_primary"] is False


async def test_an_older_version_arriving_late_is_ignored(build: Any) -> None:
    card_id = uuid.uuid4()
    doctor = await build.working_doctor()
    await build.publish(
        event("patient.updated", card_state(card_id, last_name="Новая"), aggregate_id=card_id, version=2)
    )
    await build.publish(
        event("patient.created", card_state(card_id, last_name="Старая"), aggregate_id=card_id, version=1)
    )
    marker_id = uuid.uuid4()
    await build.publish(event("patient.created", card_state(marker_id), aggregate_id=marker_id))
    await book_when_known(build, doctor["id"], marker_id, "11:00")

    appointment = await book_when_known(build, doctor["id"], card_id)

    assert appointment["last_name"] == "Новая"


async def test_vip_and_minor_flags_of_an_update_show_on_existing_appointments(build: Any) -> None:
    card_id = uuid.uuid4()
    doctor = await build.working_doctor()
    await build.publish(event("patient.created", card_state(card_id, birth_date=None), aggregate_id=card_id))
    appointment = await book_when_known(build, doctor["id"], card_id)
    assert appointment["marks"]["vip"] is False

    await build.publish(
        event(
            "patient.updated",
            card_state(card_id, birth_date=None, vip=True, is_minor=True),
            aggregate_id=card_id,
            version=2,
        )
    )

    async def marked() -> Any:
        marks = (await build.get(f"/appointments/{appointment['id']}"))["marks"]
        return marks if marks["vip"] else None

    assert await eventually(marked) == {"primary": False, "minor": True, "vip": True, "processed": False}


async def test_a_deleted_card_cannot_be_booked(build: Any) -> None:
    card_id = uuid.uuid4()
    doctor = await build.working_doctor()
    await build.publish(event("patient.deleted", card_state(card_id, deleted=True), aggregate_id=card_id, version=3))

    async def refused() -> Any:
        response = await build.try_book(doctor["id"], build.day(1), patient_id=str(card_id))
        errors = response.json().get("errors") or [{}]
        return response if errors[0].get("message") == "the patient card is deleted" else None

    assert (await eventually(refused)).status_code == 422
