"""Builders and helpers of the ONDOC bridge tests (a unique module name: tests of all services
share one import path)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from clinic_shared.events import AppointmentState, EventEnvelope, new_event
from clinic_shared.testing.platform import Platform
from ondoc_bridge.callbacks.signature import sign
from ondoc_bridge.config.service import FAKE_CALLBACK_SECRET

ONDOC = "/api/ondoc"
FAKE = "/api/ondoc/fake-ondoc/_control"
CARDS = "/api/patients/cards"
Publish = Callable[[EventEnvelope], Awaitable[None]]


def card_payload(**overrides: Any) -> dict[str, Any]:
    """A card complete enough for ONDOC; override any field."""
    payload: dict[str, Any] = {
        "last_name": "Смирнова",
        "first_name": "Анна",
        "middle_name": "Сергеевна",
        "birth_date": "1990-02-03",
        "mobile_phone": "+7 922 111-22-33",
    }
    payload.update(overrides)
    return payload


async def create_card(platform: Platform, **overrides: Any) -> dict[str, Any]:
    response = await platform.client.post(CARDS, json=card_payload(**overrides), headers=platform.admin_headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def issue_code(platform: Platform, patient_id: str) -> dict[str, Any]:
    response = await platform.client.post(f"{ONDOC}/patients/{patient_id}/attach-code", headers=platform.admin_headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def attach_patient(platform: Platform, **card_overrides: Any) -> tuple[dict[str, Any], str]:
    """A new card attached to ONDOC through the fake's "patient typed the code"; (card, ONDOC id)."""
    card = await create_card(platform, **card_overrides)
    code = await issue_code(platform, card["id"])
    response = await platform.client.post(f"{FAKE}/attach", json={"code": code["code"]}, headers=platform.admin_headers)
    assert response.status_code == 200 and response.json()["status"] == 200, response.text
    return card, response.json()["ondoc_patient_id"]


async def fake_state(platform: Platform) -> dict[str, Any]:
    response = await platform.client.get(f"{FAKE}/state", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def links(platform: Platform, **params: Any) -> list[dict[str, Any]]:
    response = await platform.client.get(f"{ONDOC}/links", params=params, headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()["items"]  # type: ignore[no-any-return]


def appointment_state(patient_id: str | uuid.UUID | None, **overrides: Any) -> AppointmentState:
    """An appointment as scheduling's events carry it; override any field."""
    start = datetime(2030, 5, 6, 7, 0, tzinfo=UTC)
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "number": "A-000001",
        "doctor_id": uuid.uuid4(),
        "doctor_name": "Петров Пётр Петрович",
        "cabinet_name": "101",
        "building_name": "Главный корпус",
        "building_address": "ул. Ленина, 1",
        "patient_id": patient_id,
        "start": start,
        "end": start + timedelta(minutes=30),
    }
    values.update(overrides)
    return AppointmentState(**values)


def appointment_event(event_type: str, state: AppointmentState, version: int) -> EventEnvelope:
    return new_event(event_type, state, producer="scheduling", aggregate_id=state.id, aggregate_version=version)


def signed_headers(
    body: bytes,
    *,
    callback_id: str | None = None,
    secret: str = FAKE_CALLBACK_SECRET,
    timestamp: int | None = None,
) -> dict[str, str]:
    """Headers of a callback signed as ONDOC signs them."""
    moment = int(time.time()) if timestamp is None else timestamp
    callback_id = callback_id or f"cb-{uuid.uuid4().hex}"
    return {
        "Content-Type": "application/json",
        "X-Ondoc-Timestamp": str(moment),
        "X-Ondoc-Signature": sign(secret, moment, callback_id, body),
        "X-Ondoc-Callback-Id": callback_id,
    }


def body_of(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload).encode()


async def wait_until(
    check: Callable[[], Awaitable[bool]], *, timeout: float = 15.0, step: float = 0.05, what: str = "condition"
) -> None:
    """Poll `check` until it is true; fail the test after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not await check():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} not reached within {timeout} s")
        await asyncio.sleep(step)


async def fake_appointment(platform: Platform, appointment_id: Any) -> dict[str, Any] | None:
    state = await fake_state(platform)
    return state["appointments"].get(str(appointment_id))  # type: ignore[no-any-return]


async def wait_for_fake_version(platform: Platform, appointment_id: Any, version: int) -> dict[str, Any]:
    """The fake's copy of an appointment once it holds `version`."""
    found: dict[str, Any] = {}

    async def arrived() -> bool:
        held = await fake_appointment(platform, appointment_id)
        if held is not None and held["version"] >= version:
            found.update(held)
            return True
        return False

    await wait_until(arrived, what=f"version {version} in the fake ONDOC")
    return found


# --- scheduling (tests that need it are marked `needs_scheduling`) ------------------------
SCHEDULING = "/api/scheduling"
CLINIC_ZONE = ZoneInfo("Europe/Moscow")
needs_scheduling = pytest.mark.skipif(
    importlib.util.find_spec("scheduling.app") is None, reason="needs the scheduling service"
)


def clinic_day(offset: int = 3) -> date:
    """A clinic date `offset` days from today."""
    return datetime.now(UTC).astimezone(CLINIC_ZONE).date() + timedelta(days=offset)


def clinic_time(day: date, clock: str) -> str:
    """`clock` ("10:30") on `day` in the clinic zone, ISO 8601 with offset."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(day, clock_time(hours, minutes), tzinfo=CLINIC_ZONE).isoformat()


async def scheduling_post(platform: Platform, path: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await platform.client.post(f"{SCHEDULING}{path}", json=body, headers=platform.admin_headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def working_doctor(platform: Platform, day: date, *, online: bool = True) -> dict[str, Any]:
    """A doctor with a specialization, working 09:00–18:00 on `day`."""
    specialization = await scheduling_post(platform, "/specializations", {"name": f"Терапевт {uuid.uuid4().hex[:4]}"})
    doctor = await scheduling_post(
        platform,
        "/doctors",
        {
            "last_name": "Петров",
            "first_name": "Пётр",
            "middle_name": "Петрович",
            "specialization_ids": [specialization["id"]],
            "online_booking": online,
        },
    )
    await scheduling_post(
        platform,
        "/schedules",
        {"doctor_id": doctor["id"], "date": day.isoformat(), "intervals": [{"start": "09:00", "end": "18:00"}]},
    )
    return doctor


async def scheduling_appointment(platform: Platform, appointment_id: str) -> dict[str, Any]:
    response = await platform.client.get(f"{SCHEDULING}/appointments/{appointment_id}", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]
