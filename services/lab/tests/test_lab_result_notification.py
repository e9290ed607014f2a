"""Charge → lab order → the fake lab's results → the notifier's "lab result ready" schedule
sends exactly one SMS to the patient (LAB-4, LAB-6, LAB-8, LAB-9, NOT-3 type 6), through the gateway."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from lab_builders import (
    API,
    charge_body,
    eventually,
    get_order,
    make_card,
    make_lab,
    make_order,
    make_test,
    put_settings,
)

from clinic_shared.testing.platform import Platform


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "lab", "notifier"]


@pytest.fixture(autouse=True)
def notifier_fakes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_NOTIFIER_FAKES", "true")
    monkeypatch.setenv("CLINIC_NOTIFIER_TICK_SECONDS", "0.2")


pytestmark = pytest.mark.usefixtures("exchange_worker_on")


async def sms_to(platform: Platform, phone_tail: str) -> list[dict]:
    sent = await platform.client.get("/api/notifier/fake/sms", headers=platform.admin_headers)
    return [m for m in sent.json()["items"] if m["phone"].endswith(phone_tail)]


async def test_completed_order_sends_one_lab_result_sms(platform: Platform) -> None:
    headers = platform.admin_headers
    schedule = await platform.client.post(
        "/api/notifier/schedules",
        json={
            "name": "Анализы готовы",
            "type": "lab_result_ready",
            "channel": "sms",
            "minutes_after": 0,
            "only_when_all_done": True,
            "template": "%Name1%, ваши анализы готовы.",
        },
        headers=headers,
    )
    assert schedule.status_code == 201, schedule.text
    card = await platform.client.post(
        "/api/patients/cards",
        json={"last_name": "Орлова", "first_name": "Вера", "birth_date": "1979-06-02", "mobile_phone": "89225550011"},
        headers=headers,
    )
    assert card.status_code == 201, card.text
    patient_id = card.json()["id"]

    async def lab_knows_patient() -> bool:
        response = await platform.client.get(f"{API}/patients/{patient_id}", headers=headers)
        return response.status_code == 200

    await eventually(lab_knows_patient)
    lab = await make_lab(platform, name="Внешняя лаборатория")
    tests = [
        await make_test(platform, lab["id"], code=code, container_type=tube)
        for code, tube in (("HB", "EDTA"), ("GLU", "serum"))
    ]
    service_id = str(uuid.uuid4())
    for test in tests:
        linked = await platform.client.post(
            f"{API}/test-service-links/bulk", json={"test_id": test["id"], "service_ids": [service_id]}, headers=headers
        )
        assert linked.status_code == 200, linked.text
    await put_settings(platform, create_on_charge=True, create_on_charge_lab_ids=[lab["id"]])

    charged = await platform.client.post(f"{API}/charges", json=charge_body(patient_id, service_id), headers=headers)
    assert charged.status_code == 201, charged.text
    (order_id,) = charged.json()["order_ids"]
    assert (await platform.client.post(f"{API}/orders/{order_id}/send", headers=headers)).status_code == 202

    async def completed() -> dict | None:
        order = await get_order(platform, order_id)
        return order if order["status"] == "completed" else None

    await eventually(completed, timeout=30)

    async def one_sms() -> list[dict]:
        return await sms_to(platform, "9225550011")

    messages = await eventually(one_sms, timeout=30)
    assert messages[0]["text"] == "Вера, ваши анализы готовы."
    await asyncio.sleep(1.0)  # several worker ticks: a duplicate would be sent by now
    assert len(await sms_to(platform, "9225550011")) == 1


async def test_a_visit_with_orders_at_two_labs_sends_one_results_ready_sms(platform: Platform) -> None:
    """LAB-9: the patient hears "results ready" once, when the second lab is done too."""
    headers = platform.admin_headers
    schedule = await platform.client.post(
        "/api/notifier/schedules",
        json={
            "name": "Анализы готовы",
            "type": "lab_result_ready",
            "channel": "sms",
            "minutes_after": 0,
            "only_when_all_done": True,
            "template": "%Name1%, все ваши анализы готовы.",
        },
        headers=headers,
    )
    assert schedule.status_code == 201, schedule.text
    card = await make_card(platform, last_name="Лебедева", first_name="Анна", mobile_phone="89225550022")
    appointment_id = str(uuid.uuid4())
    orders = []
    for name, tube in (("Гемотест", "EDTA"), ("Инвитро", "urine")):
        lab = await make_lab(platform, name=name)
        test = await make_test(platform, lab["id"], container_type=tube)
        orders.append(await make_order(platform, card["id"], lab["id"], [test["id"]], appointment_id=appointment_id))
    assert orders[0]["visit_id"] == orders[1]["visit_id"]

    for order in orders:
        results = [{"test_id": test["test_id"], "value": "1"} for test in order["tests"]]
        posted = await platform.client.post(
            f"{API}/orders/{order['id']}/results", json={"results": results}, headers=headers
        )
        assert posted.status_code == 200, posted.text
        assert posted.json()["status"] == "completed"

    async def one_sms() -> list[dict]:
        return await sms_to(platform, "9225550022")

    messages = await eventually(one_sms, timeout=30)
    assert [m["text"] for m in messages] == ["Анна, все ваши анализы готовы."]

    async def statuses() -> list[str] | None:
        # The provider has the text before the notifier records its answer: wait for "sent".
        planned = await platform.client.get(
            "/api/notifier/messages", params={"patient_id": card["id"]}, headers=headers
        )
        found = [m["status"] for m in planned.json()["items"]]
        return found if not {"queued", "sending"} & set(found) else None

    assert await eventually(statuses, timeout=30) == ["sent"]
