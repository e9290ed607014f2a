"""The whole lab flow through the gateway, with the real patients service (LAB-1 … LAB-8)."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from lab_builders import API, charge_body, eventually, get_order, make_card, make_lab, make_test, put_settings
from lab_zpl_reader import parse_zpl

from clinic_shared.testing.platform import Platform
from lab.orders.rules import is_valid_generated_barcode


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients", "lab"]


pytestmark = pytest.mark.usefixtures("exchange_worker_on")


async def test_a_charged_service_becomes_an_order_whose_lab_results_complete_it(platform: Platform) -> None:
    headers = platform.admin_headers
    card = await make_card(
        platform, last_name="Петров", first_name="Олег", middle_name="Ильич", birth_date="1970-01-31"
    )
    lab = await make_lab(platform, name="Фейковая лаборатория")
    hb = await make_test(platform, lab["id"], code="HB", container_type="EDTA")
    glu = await make_test(
        platform, lab["id"], code="GLU", container_type="serum", reference_low=3.3, reference_high=5.5
    )
    service_id = str(uuid.uuid4())
    for test in (hb, glu):
        linked = await platform.client.post(
            f"{API}/test-service-links/bulk", json={"test_id": test["id"], "service_ids": [service_id]}, headers=headers
        )
        assert linked.status_code == 200
    await put_settings(platform, create_on_charge=True, create_on_charge_lab_ids=[lab["id"]])

    charged = await platform.client.post(f"{API}/charges", json=charge_body(card["id"], service_id), headers=headers)
    assert charged.status_code == 201, charged.text
    (order_id,) = charged.json()["order_ids"]
    order = await get_order(platform, order_id)
    assert sorted(t["code"] for t in order["tests"]) == ["GLU", "HB"]
    assert sorted(s["container_type"] for s in order["samples"]) == ["EDTA", "serum"]
    assert all(is_valid_generated_barcode(s["barcode"]) for s in order["samples"])

    zpl = await platform.client.get(f"{API}/orders/{order_id}/labels.zpl", headers=headers)
    labels = parse_zpl(zpl.text)
    assert [label.barcodes[0].data for label in labels] == [s["barcode"] for s in order["samples"]]
    assert all(label.texts[:2] == ["Петров О. И.", "д.р. 31.01.1970"] for label in labels)

    sent = await platform.client.post(f"{API}/orders/{order_id}/send", headers=headers)
    assert sent.status_code == 202

    async def completed() -> dict | None:
        current = await get_order(platform, order_id)
        return current if current["status"] == "completed" else None

    done = await eventually(completed)
    assert {r["test_id"] for r in done["results"]} == {hb["id"], glu["id"]}
    await platform.wait_for_event("lab_result.ready", lambda e: e.data["order_id"] == order_id and e.data["all_done"])
    await asyncio.sleep(0.3)  # room for a wrong second all_done to arrive
    ready = [e for e in platform.spy.of_type("lab_result.ready") if e.data["order_id"] == order_id]
    assert [e.data["all_done"] for e in ready].count(True) == 1
    assert sorted(e.data["test_id"] for e in ready if not e.data["all_done"]) == sorted([hb["id"], glu["id"]])
    assert all(e.data["patient_id"] == card["id"] for e in ready)
