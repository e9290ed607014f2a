"""Scheduling on real processes (issue #3's scenario, run by issue #8): the gateway, patients and
scheduling as separate processes on PostgreSQL + RabbitMQ. Cards made in patients reach
scheduling's projection through `patient.*` events; bookings, the 409 for a taken slot, moves,
the trash and restores are checked through the gateway, and their `appointment.*` events on
the exchange, as another service would receive them. One cluster serves the module; each test
books on a doctor of its own, so the tests do not depend on each other."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from e2e_flows import EventSpy, admin_headers, created, event_spy, ok, until

from clinic_shared.testing.backends import Isolation
from gateway.devcluster import Cluster

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("scheduling_e2e")]

ZONE = ZoneInfo("Europe/Moscow")
SCHEDULING = "/api/scheduling"


@dataclass(frozen=True)
class ClinicWorld:
    """The shared cluster, an admin's headers, and the clinic date the tests book on."""

    cluster: Cluster
    headers: dict[str, str]
    day: date

    def at(self, clock: str) -> datetime:
        hours, minutes = (int(part) for part in clock.split(":"))
        return datetime.combine(self.day, time(hours, minutes), tzinfo=ZONE)


@pytest.fixture(scope="module")
def world(make_module_cluster: Callable[..., Cluster]) -> ClinicWorld:
    cluster = make_module_cluster(["patients", "scheduling"], {"CLINIC_TIMEZONE": "Europe/Moscow"})
    day = datetime.now(UTC).astimezone(ZONE).date() + timedelta(days=2)
    return ClinicWorld(cluster, admin_headers(cluster), day)


@pytest.fixture
async def api(world: ClinicWorld) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=world.cluster.base_url, headers=world.headers, timeout=30) as client:
        yield client


@pytest.fixture
async def spy(e2e_module_isolation: Isolation) -> AsyncIterator[EventSpy]:
    async with event_spy(e2e_module_isolation, "appointment.*") as events:
        yield events


@pytest.fixture
async def doctor(api: httpx.AsyncClient, world: ClinicWorld) -> dict[str, Any]:
    """A doctor working 09:00–18:00 with a 13:00–14:00 break on the world's day."""
    made = created(
        await api.post(
            f"{SCHEDULING}/doctors",
            json={"last_name": "Терапевтов", "first_name": "Иван", "specialization_ids": [], "online_booking": False},
        )
    )
    created(
        await api.post(
            f"{SCHEDULING}/schedules",
            json={
                "doctor_id": made["id"],
                "date": world.day.isoformat(),
                "intervals": [{"start": "09:00", "end": "18:00"}],
                "breaks": [{"start": "13:00", "end": "14:00"}],
            },
        )
    )
    return made


async def new_card(api: httpx.AsyncClient, **fields: Any) -> dict[str, Any]:
    body = {"last_name": "Орлова", "first_name": "Вера", "birth_date": "1980-05-06", "mobile_phone": "+7 917 000-00-01"}
    return created(await api.post("/api/patients/cards", json=body | fields))


async def book(api: httpx.AsyncClient, world: ClinicWorld, doctor_id: str, clock: str, **fields: Any) -> dict[str, Any]:
    """A 30-minute appointment at `clock`; retried while scheduling does not know the card yet."""
    body = {"doctor_id": doctor_id, "start": world.at(clock).isoformat(), "duration_minutes": 30, **fields}

    async def booked() -> dict[str, Any] | None:
        response = await api.post(f"{SCHEDULING}/appointments", json=body)
        assert response.status_code in (201, 404, 422), response.text
        return response.json() if response.status_code == 201 else None

    return await until(booked, f"booking {clock}")


async def free_starts(api: httpx.AsyncClient, world: ClinicWorld, doctor_id: str) -> set[datetime]:
    """Starts of the doctor's free 30-minute slots on the world's day."""
    params = {
        "doctor_id": doctor_id,
        "date_from": world.day.isoformat(),
        "date_to": world.day.isoformat(),
        "duration_minutes": 30,
        "limit": 500,
    }
    found = ok(await api.get(f"{SCHEDULING}/free-slots", params=params))
    return {datetime.fromisoformat(slot["start"]) for slot in found["items"]}


async def test_a_vip_card_made_in_patients_is_marked_and_follows_its_updates(
    api: httpx.AsyncClient, world: ClinicWorld, doctor: dict[str, Any]
) -> None:
    card = await new_card(api, vip=True)
    appointment = await book(api, world, doctor["id"], "10:00", patient_id=card["id"])
    assert appointment["marks"]["vip"] is True and appointment["marks"]["primary"] is False
    assert appointment["card_number"] == card["card_number"]

    etag = (await api.get(f"/api/patients/cards/{card['id']}")).headers["etag"]  # a card edit names its version
    ok(await api.patch(f"/api/patients/cards/{card['id']}", json={"vip": False}, headers={"If-Match": etag}))

    async def no_longer_vip() -> dict[str, Any] | None:
        seen = ok(await api.get(f"{SCHEDULING}/appointments/{appointment['id']}"))
        return seen if seen["marks"]["vip"] is False else None

    seen = await until(no_longer_vip, "patient.updated applied to scheduling's projection")
    assert seen["last_name"] == "Орлова"  # the name was copied at booking (SCH-4); marks are read live (SCH-9)


async def test_a_typed_in_patient_without_a_card_is_marked_primary(
    api: httpx.AsyncClient, world: ClinicWorld, doctor: dict[str, Any]
) -> None:
    patient = {"last_name": "Новикова", "first_name": "Ольга", "mobile_phone": "+7 917 000-00-02"}
    appointment = await book(api, world, doctor["id"], "11:00", patient=patient)
    assert appointment["marks"]["primary"] is True and appointment["patient_id"] is None


async def test_a_booking_in_working_time_publishes_appointment_created_with_its_state(
    api: httpx.AsyncClient, world: ClinicWorld, doctor: dict[str, Any], spy: EventSpy
) -> None:
    card = await new_card(api)
    appointment = await book(api, world, doctor["id"], "10:00", patient_id=card["id"])

    envelope = await spy.wait_for("appointment.created", lambda e: e["aggregate_id"] == appointment["id"])

    assert envelope["producer"] == "scheduling" and envelope["aggregate_version"] == 1
    assert envelope["data"]["patient_id"] == card["id"] and envelope["data"]["doctor_id"] == doctor["id"]
    assert datetime.fromisoformat(envelope["data"]["start"]) == world.at("10:00")


async def test_a_second_booking_of_the_same_slot_is_refused_naming_the_first(
    api: httpx.AsyncClient, world: ClinicWorld, doctor: dict[str, Any]
) -> None:
    card = await new_card(api)
    first = await book(api, world, doctor["id"], "10:00", patient_id=card["id"])

    second = await api.post(
        f"{SCHEDULING}/appointments",
        json={
            "doctor_id": doctor["id"],
            "start": world.at("10:15").isoformat(),
            "duration_minutes": 30,
            "patient": {"last_name": "Другой", "first_name": "Пациент"},
        },
    )

    assert second.status_code == 409, second.text
    assert second.json()["reason"] == "overlap" and second.json()["conflicts"] == [first["id"]]


async def test_a_moved_appointment_frees_its_old_slot_and_takes_the_new_one(
    api: httpx.AsyncClient, world: ClinicWorld, doctor: dict[str, Any], spy: EventSpy
) -> None:
    card = await new_card(api)
    appointment = await book(api, world, doctor["id"], "10:00", patient_id=card["id"])

    etag = (await api.get(f"{SCHEDULING}/appointments/{appointment['id']}")).headers["etag"]
    moved = ok(
        await api.patch(
            f"{SCHEDULING}/appointments/{appointment['id']}",
            json={"start": world.at("15:00").isoformat()},
            headers={"If-Match": etag},  # an appointment edit names its version
        )
    )
    assert moved["version"] == int(etag.strip('"')) + 1

    assert datetime.fromisoformat(moved["start"]) == world.at("15:00") and moved["duration_minutes"] == 30
    free = await free_starts(api, world, doctor["id"])
    assert world.at("10:00") in free and world.at("15:00") not in free
    await spy.wait_for(
        "appointment.updated",
        lambda e: (
            e["aggregate_id"] == appointment["id"] and datetime.fromisoformat(e["data"]["start"]) == world.at("15:00")
        ),
    )


async def test_a_deleted_appointment_goes_to_the_trash_with_its_reason_and_frees_the_slot(
    api: httpx.AsyncClient, world: ClinicWorld, doctor: dict[str, Any], spy: EventSpy
) -> None:
    card = await new_card(api)
    appointment = await book(api, world, doctor["id"], "16:00", patient_id=card["id"])
    reason = created(await api.post(f"{SCHEDULING}/deletion-reasons", json={"name": "Пациент заболел"}))

    etag = (await api.get(f"{SCHEDULING}/appointments/{appointment['id']}")).headers["etag"]
    deleted = await api.delete(
        f"{SCHEDULING}/appointments/{appointment['id']}", params={"reason_id": reason["id"]}, headers={"If-Match": etag}
    )

    assert deleted.status_code == 204, deleted.text
    trash = ok(await api.get(f"{SCHEDULING}/appointments", params={"deleted": "true", "doctor_id": doctor["id"]}))
    assert [(a["id"], a["deletion_reason"]) for a in trash["items"]] == [(appointment["id"], "Пациент заболел")]
    assert world.at("16:00") in await free_starts(api, world, doctor["id"])
    envelope = await spy.wait_for("appointment.deleted", lambda e: e["aggregate_id"] == appointment["id"])
    assert envelope["data"]["deleted"] is True


async def test_a_restored_appointment_takes_its_slot_back_from_the_free_slots(
    api: httpx.AsyncClient, world: ClinicWorld, doctor: dict[str, Any], spy: EventSpy
) -> None:
    card = await new_card(api)
    appointment = await book(api, world, doctor["id"], "16:00", patient_id=card["id"])
    etag = (await api.get(f"{SCHEDULING}/appointments/{appointment['id']}")).headers["etag"]
    deleted = await api.delete(f"{SCHEDULING}/appointments/{appointment['id']}", headers={"If-Match": etag})
    assert deleted.status_code == 204, deleted.text

    restored = ok(await api.post(f"{SCHEDULING}/appointments/{appointment['id']}/restore", json={}))

    assert restored["deleted"] is False and datetime.fromisoformat(restored["start"]) == world.at("16:00")
    free = await free_starts(api, world, doctor["id"])
    assert world.at("16:00") not in free and world.at("16:30") in free
    await spy.wait_for("appointment.restored", lambda e: e["aggregate_id"] == appointment["id"])
