"""The benchmark's seeded appointments are real ones: the scheduling API lists them, refuses
their slots, keeps numbering after them and leaves them out of the free slots; a slot the
service would refuse is refused by the seeder too (both backends)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bench.seeding import SeedItem, SeedRefused, seed_appointments
from clinic_shared.testing.platform import Platform
from scheduling.appointments.context import Actor
from scheduling.appointments.schemas import PatientIn
from scheduling.settings import SchedulingSettings

ZONE = ZoneInfo("Europe/Moscow")
DAY = dt.date.today() + dt.timedelta(days=2)


async def doctor_working_9_to_12(platform: Platform) -> str:
    headers = platform.admin_headers
    response = await platform.client.post(
        "/api/scheduling/doctors", json={"last_name": "Сидоров", "first_name": "Семён"}, headers=headers
    )
    assert response.status_code == 201, response.text
    doctor_id: str = response.json()["id"]
    response = await platform.client.post(
        "/api/scheduling/schedules/bulk",
        json={
            "doctor_id": doctor_id,
            "date_from": DAY.isoformat(),
            "date_to": DAY.isoformat(),
            "weekdays": list(range(7)),
            "intervals": [{"start": "09:00", "end": "12:00"}],
        },
        headers=headers,
    )
    assert response.status_code in (200, 201), response.text
    return doctor_id


def at(hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(DAY, dt.time(hour, minute), ZONE)


def item(doctor_id: str, start: dt.datetime, n: int) -> SeedItem:
    patient = PatientIn(last_name=f"Засеянный{n}", first_name="Пётр", mobile_phone=f"8 (922) 000-00-{n:02d}")
    return SeedItem(uuid.UUID(doctor_id), start, 30, patient)


async def seed(settings_overrides: dict[str, Any], items: list[SeedItem]) -> int:
    settings = SchedulingSettings(**settings_overrides)
    return await seed_appointments(settings, items, actor=Actor(uuid.uuid4(), "bench"))


async def listed(platform: Platform, doctor_id: str) -> list[dict[str, Any]]:
    response = await platform.client.get(
        "/api/scheduling/appointments", params={"doctor_id": doctor_id, "limit": 50}, headers=platform.admin_headers
    )
    assert response.status_code == 200, response.text
    return list(response.json()["items"])


async def book(platform: Platform, doctor_id: str, start: dt.datetime) -> Any:
    return await platform.client.post(
        "/api/scheduling/appointments",
        json={
            "doctor_id": doctor_id,
            "start": start.isoformat(),
            "duration_minutes": 30,
            "patient": {"last_name": "Живой", "first_name": "Иван"},
        },
        headers=platform.admin_headers,
    )


async def test_seeded_appointments_are_listed_with_their_patient_time_and_normalised_phone(
    platform: Platform, settings_overrides: dict[str, Any]
) -> None:
    doctor_id = await doctor_working_9_to_12(platform)

    await seed(settings_overrides, [item(doctor_id, at(9), 1), item(doctor_id, at(10, 30), 2)])

    appointments = sorted(await listed(platform, doctor_id), key=lambda a: a["start"])
    assert [a["last_name"] for a in appointments] == ["Засеянный1", "Засеянный2"]
    assert [dt.datetime.fromisoformat(a["start"]) for a in appointments] == [at(9), at(10, 30)]
    assert appointments[0]["mobile_phone"] == "79220000001"
    assert len({a["number"] for a in appointments}) == 2


async def test_booking_a_seeded_slot_through_the_api_is_refused_as_taken(
    platform: Platform, settings_overrides: dict[str, Any]
) -> None:
    doctor_id = await doctor_working_9_to_12(platform)
    await seed(settings_overrides, [item(doctor_id, at(9), 1)])

    response = await book(platform, doctor_id, at(9))

    assert response.status_code == 409, response.text


async def test_a_booking_after_seeding_gets_a_number_of_its_own(
    platform: Platform, settings_overrides: dict[str, Any]
) -> None:
    doctor_id = await doctor_working_9_to_12(platform)
    await seed(settings_overrides, [item(doctor_id, at(9), 1), item(doctor_id, at(9, 30), 2)])
    seeded_numbers = {a["number"] for a in await listed(platform, doctor_id)}

    response = await book(platform, doctor_id, at(11))

    assert response.status_code == 201, response.text
    assert response.json()["number"] not in seeded_numbers


async def test_free_slot_search_does_not_offer_seeded_slots(
    platform: Platform, settings_overrides: dict[str, Any]
) -> None:
    doctor_id = await doctor_working_9_to_12(platform)
    await seed(settings_overrides, [item(doctor_id, at(9), 1), item(doctor_id, at(9, 30), 2)])

    response = await platform.client.get(
        "/api/scheduling/free-slots",
        params={"doctor_id": doctor_id, "date_from": DAY.isoformat(), "date_to": DAY.isoformat(),
                "duration_minutes": 30, "limit": 1},
        headers=platform.admin_headers,
    )  # fmt: skip

    assert response.status_code == 200, response.text
    assert dt.datetime.fromisoformat(response.json()["items"][0]["start"]) == at(10)


async def test_a_slot_outside_working_hours_is_refused_and_nothing_is_seeded(
    platform: Platform, settings_overrides: dict[str, Any]
) -> None:
    doctor_id = await doctor_working_9_to_12(platform)

    with pytest.raises(SeedRefused):
        await seed(settings_overrides, [item(doctor_id, at(9), 1), item(doctor_id, at(12), 2)])

    assert await listed(platform, doctor_id) == []
