"""An order's changes reach the bus (#15 live updates): its status (sent, in progress, completed,
cancelled) as `lab_order.status_changed`, a barcode as `lab_order.updated`, each with the order's
new version and its lab, so a lab doctor's screens refresh; no patient name travels."""

from __future__ import annotations

from typing import Any

from lab_builders import API, Publish, get_order, make_lab, make_order, make_patient, make_test

from clinic_shared.testing.platform import Platform


async def new_order(platform: Platform, publish_event: Publish) -> dict[str, Any]:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"], name="Гемоглобин", container_type="EDTA")
    return await make_order(platform, patient["id"], lab["id"], [test["id"]])


async def test_a_status_change_publishes_lab_order_status_changed(platform: Platform, publish_event: Publish) -> None:
    order = await new_order(platform, publish_event)

    sent = await platform.client.post(
        f"{API}/orders/{order['id']}/status", json={"status": "sent"}, headers=platform.admin_headers
    )
    assert sent.status_code == 200, sent.text

    event = await platform.wait_for_event("lab_order.status_changed", lambda e: e.aggregate_id == order["id"])
    assert (event.data["previous_status"], event.data["status"]) == ("created", "sent")
    assert (event.data["lab_id"], event.data["number"]) == (order["lab_id"], order["number"])
    assert event.aggregate_version == (await get_order(platform, order["id"]))["version"]
    assert "patient_last_name" not in event.data and "last_name" not in event.data


async def test_cancelling_an_order_publishes_its_status_change(platform: Platform, publish_event: Publish) -> None:
    order = await new_order(platform, publish_event)

    cancelled = await platform.client.post(f"{API}/orders/{order['id']}/cancel", headers=platform.admin_headers)
    assert cancelled.status_code == 200, cancelled.text

    event = await platform.wait_for_event("lab_order.status_changed", lambda e: e.aggregate_id == order["id"])
    assert event.data["status"] == "cancelled"


async def test_a_barcode_change_publishes_lab_order_updated(platform: Platform, publish_event: Publish) -> None:
    order = await new_order(platform, publish_event)
    sample = order["samples"][0]

    changed = await platform.client.put(
        f"{API}/orders/{order['id']}/samples/{sample['id']}/barcode",
        json={"barcode": "4600000654321"},
        headers=platform.admin_headers,
    )
    assert changed.status_code == 200, changed.text

    event = await platform.wait_for_event("lab_order.updated", lambda e: e.aggregate_id == order["id"])
    assert (event.data["status"], event.data["previous_status"]) == ("created", None)
    assert event.aggregate_version == changed.json()["version"]


async def test_a_refused_status_change_publishes_nothing(platform: Platform, publish_event: Publish) -> None:
    order = await new_order(platform, publish_event)

    refused = await platform.client.post(
        f"{API}/orders/{order['id']}/status", json={"status": "completed"}, headers=platform.admin_headers
    )
    await platform.wait_for_event("lab_order.created", lambda e: e.aggregate_id == order["id"])

    assert refused.status_code == 409
    assert [e for e in platform.spy.of_type("lab_order.status_changed") if e.aggregate_id == order["id"]] == []
