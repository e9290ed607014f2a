"""The waiting list's events (#15 live updates): each change of the list reaches the bus through
the outbox, so another desk's list refreshes; they carry no more of the patient than appointments do."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import pytest
from scheduling_test_builders import API

from clinic_shared.events import EventEnvelope
from scheduling.events import waitlist_entry_state
from scheduling.waitlist.models import WaitlistEntry

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def entry(build: Any, **fields: Any) -> Any:
    return await build.post("/waitlist", {"patient": build.patient(), **fields})


async def event_of(build: Any, event_type: str, entry_id: str) -> EventEnvelope:
    return await build.platform.wait_for_event(event_type, lambda e: e.aggregate_id == entry_id)  # type: ignore[no-any-return]


async def test_adding_an_entry_publishes_waitlist_entry_created(build: Any) -> None:
    doctor = await build.doctor()
    wanted = build.day(4)
    waiting = await entry(
        build, doctor_id=doctor["id"], wished_date=wanted.isoformat(), wished_time_from="09:00", note="после обеда"
    )

    created = await event_of(build, "waitlist_entry.created", waiting["id"])

    assert (created.producer, created.aggregate_version) == ("scheduling", 1)
    assert created.data["doctor_id"] == doctor["id"]
    assert (created.data["wished_date"], created.data["wished_time_from"]) == (wanted.isoformat(), "09:00")
    assert (created.data["last_name"], created.data["is_primary"]) == ("Петров", True)
    assert "note" not in created.data and "birth_date" not in created.data


async def test_deleting_an_entry_publishes_waitlist_entry_deleted(build: Any) -> None:
    waiting = await entry(build)

    deleted = await build.edit("DELETE", f"/waitlist/{waiting['id']}", headers=build.headers)
    assert deleted.status_code == 204

    event = await event_of(build, "waitlist_entry.deleted", waiting["id"])
    assert event.aggregate_version == 2


async def test_a_refused_deletion_publishes_nothing(build: Any) -> None:
    waiting = await entry(build)
    refused = await build.client.delete(
        f"{API}/waitlist/{waiting['id']}", headers={**build.headers, "If-Match": '"not-its-version"'}
    )
    await event_of(build, "waitlist_entry.created", waiting["id"])

    assert refused.status_code == 412
    assert [e for e in build.platform.spy.of_type("waitlist_entry.deleted") if e.aggregate_id == waiting["id"]] == []


async def test_booking_an_entry_publishes_waitlist_entry_booked_naming_the_appointment(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    waiting = await entry(build, doctor_id=doctor["id"], duration_minutes=30)

    appointment = await build.post(f"/waitlist/{waiting['id']}/book", {"start": build.at(day, "12:00")})

    booked = await event_of(build, "waitlist_entry.booked", waiting["id"])
    assert (booked.aggregate_version, booked.data["appointment_id"]) == (2, appointment["id"])


async def test_moving_an_appointment_to_the_list_publishes_the_new_entry(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "15:00")

    moved = await build.post(f"/appointments/{appointment['id']}/to-waitlist", {})

    created = await event_of(build, "waitlist_entry.created", moved["id"])
    assert created.data["source_appointment_id"] == appointment["id"]


async def test_restoring_a_moved_appointment_publishes_its_entry_deleted(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    appointment = await build.book(doctor["id"], day, "16:00")
    moved = await build.post(f"/appointments/{appointment['id']}/to-waitlist", {})

    await build.post(f"/appointments/{appointment['id']}/restore", {}, expect=200)

    await event_of(build, "waitlist_entry.deleted", moved["id"])


async def test_a_card_patients_entry_carries_the_card_not_the_name() -> None:
    card = uuid.uuid4()
    waiting = WaitlistEntry(
        id=uuid.uuid4(),
        patient_id=card,
        last_name="Иванов",
        first_name="Иван",
        middle_name="Петрович",
        mobile_phone="+79221112233",
        birth_date=date(1985, 4, 12),
        services=[{"service_id": str(uuid.uuid4()), "quantity": 1, "price": "100"}],
        created_at=datetime.now(UTC),
    )

    state = waitlist_entry_state(waiting).model_dump()

    assert (state["patient_id"], state["is_primary"]) == (card, False)
    assert [state[name] for name in ("last_name", "first_name", "middle_name", "mobile_phone")] == [None] * 4
    assert state["service_ids"] == [uuid.UUID(waiting.services[0]["service_id"])]
