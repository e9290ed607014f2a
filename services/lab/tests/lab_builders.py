"""Builders of lab test data, all through the gateway as a user would make it."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from clinic_shared.bus import RabbitMqBus
from clinic_shared.events import EventEnvelope, PatientState, ServiceCharged, new_event
from clinic_shared.testing.platform import Platform
from lab.fake_lab import FakeLabState

API = "/api/lab"
T = TypeVar("T")


async def eventually(check: Callable[[], Awaitable[T | None]], *, timeout: float = 30.0, every: float = 0.05) -> T:
    """Poll `check` until it returns something truthy (or fail after `timeout`). The limit is
    generous because a passing check returns at once: only a loaded CI machine comes near it."""
    async with asyncio.timeout(timeout):
        while True:
            value = await check()
            if value:
                return value
            await asyncio.sleep(every)


Publish = Callable[[EventEnvelope], Awaitable[None]]


def patient_event(event_type: str = "patient.created", *, version: int = 1, **overrides: Any) -> EventEnvelope:
    """A `patient.*` event as the patients service publishes it."""
    values: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "card_number": f"{uuid.uuid4().int % 1_000_000:06d}",
        "last_name": "Иванов",
        "first_name": "Иван",
        "middle_name": "Петрович",
        "birth_date": "1985-04-12",
        "sex": "male",
        "deleted": event_type == "patient.deleted",
    }
    values.update(overrides)
    return new_event(
        event_type, PatientState(**values), producer="patients", aggregate_id=values["id"], aggregate_version=version
    )


async def wait_projected(platform: Platform, patient_id: str, *, version: int = 1) -> dict[str, Any]:
    """The lab's copy of a patient, once it has reached `version`."""

    async def projected() -> dict[str, Any] | None:
        seen = await platform.client.get(f"{API}/patients/{patient_id}", headers=platform.admin_headers)
        return seen.json() if seen.status_code == 200 and seen.json()["version"] >= version else None

    return await eventually(projected)


async def make_patient(platform: Platform, publish: Publish, **overrides: Any) -> dict[str, Any]:
    """A patient known to the lab, fed in as the patients service would (`patient.created`)."""
    envelope = patient_event(**overrides)
    await publish(envelope)
    await wait_projected(platform, envelope.data["id"])
    return envelope.data


async def make_card(platform: Platform, **overrides: Any) -> dict[str, Any]:
    """A card made in the patients service, once the lab's projection has it."""
    body = {"last_name": "Иванов", "first_name": "Иван", "middle_name": "Петрович", "birth_date": "1985-04-12"}
    body.update(overrides)
    response = await platform.client.post("/api/patients/cards", json=body, headers=platform.admin_headers)
    assert response.status_code == 201, response.text
    card: dict[str, Any] = response.json()
    await wait_projected(platform, card["id"])
    return card


async def make_lab(platform: Platform, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"name": "Гемотест", "code": f"LAB{uuid.uuid4().hex[:6]}"}
    body.update(overrides)
    response = await platform.client.post(f"{API}/labs", json=body, headers=platform.admin_headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def make_test(platform: Platform, lab_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "lab_id": lab_id,
        "code": f"T{uuid.uuid4().hex[:6]}",
        "name": "Гемоглобин",
        "container_type": "EDTA",
        "sample_type": "кровь",
        "study_type": "гематология",
        "units": "г/л",
        "reference_low": 120,
        "reference_high": 160,
    }
    body.update(overrides)
    response = await platform.client.post(f"{API}/tests", json=body, headers=platform.admin_headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def make_order(
    platform: Platform, patient_id: str, lab_id: str, test_ids: list[str], **overrides: Any
) -> dict[str, Any]:
    body: dict[str, Any] = {"patient_id": patient_id, "lab_id": lab_id, "test_ids": test_ids}
    body.update(overrides)
    response = await platform.client.post(f"{API}/orders", json=body, headers=platform.admin_headers)
    assert response.status_code == 201, response.text
    return response.json()  # type: ignore[no-any-return]


async def get_order(platform: Platform, order_id: str) -> dict[str, Any]:
    response = await platform.client.get(f"{API}/orders/{order_id}", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


async def put_settings(platform: Platform, **values: Any) -> dict[str, Any]:
    # `If-Match: *`: these tests are not about concurrent edits (tests/test_lab_concurrency_api.py is).
    headers = {**platform.admin_headers, "If-Match": "*"}
    response = await platform.client.put(f"{API}/settings", json=values, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def charge_body(patient_id: str, service_id: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"id": str(uuid.uuid4()), "patient_id": patient_id, "service_id": service_id}
    body.update(overrides)
    return body


def charge_event(body: dict[str, Any]) -> EventEnvelope:
    """`billing.service_charged` as a billing service would publish it."""
    data = ServiceCharged(charged_at="2026-11-27T10:00:00+03:00", **body)
    return new_event("billing.service_charged", data, producer="billing", aggregate_id=body["id"], aggregate_version=1)


async def publish(platform: Platform, settings_overrides: dict[str, Any], envelope: EventEnvelope) -> None:
    """Put an event on the bus the platform uses: in-process, or the test's RabbitMQ exchange."""
    if platform.bus is not None:
        await platform.bus.publish(envelope)
        return
    bus = RabbitMqBus(settings_overrides["amqp_url"], exchange=settings_overrides["events_exchange"])
    await bus.start()
    try:
        await bus.publish(envelope)
    finally:
        await bus.close()


def fake_lab(platform: Platform) -> FakeLabState:
    """The in-process fake lab of the platform's lab service (CLINIC_LAB_FAKE_EXCHANGE=true)."""
    runtime = platform.app.state.embedded_apps["lab"].state.runtime
    state: FakeLabState = runtime.state["fake_lab"]
    return state
