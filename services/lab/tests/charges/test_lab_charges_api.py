"""Orders from charged services (LAB-4): POST /charges and `billing.service_charged`."""

from __future__ import annotations

import uuid

from lab_builders import (
    API,
    Publish,
    charge_body,
    charge_event,
    eventually,
    get_order,
    make_lab,
    make_patient,
    make_test,
    put_settings,
)

from clinic_shared.testing.platform import Platform
from lab.orders.rules import is_valid_generated_barcode


async def _linked_service(platform: Platform, *, charge_labs: bool = True) -> tuple[str, dict, list[dict]]:
    """A service linked to two tests in different containers, and one unlinked test."""
    lab = await make_lab(platform)
    hb = await make_test(platform, lab["id"], container_type="EDTA")
    glu = await make_test(platform, lab["id"], name="Глюкоза", container_type="serum")
    await make_test(platform, lab["id"], name="Не связан")
    service_id = str(uuid.uuid4())
    for test in (hb, glu):
        response = await platform.client.post(
            f"{API}/tests/{test['id']}/services", json={"service_ids": [service_id]}, headers=platform.admin_headers
        )
        assert response.status_code == 200
    await put_settings(platform, create_on_charge=True, create_on_charge_lab_ids=[lab["id"]] if charge_labs else [])
    return service_id, lab, [hb, glu]


async def _post_charge(platform: Platform, body: dict) -> tuple[int, dict]:
    response = await platform.client.post(f"{API}/charges", json=body, headers=platform.admin_headers)
    return response.status_code, response.json()


async def test_a_charge_orders_the_linked_tests_in_barcoded_samples(platform: Platform, publish_event: Publish) -> None:
    patient = await make_patient(platform, publish_event)
    service_id, lab, tests = await _linked_service(platform)
    status, charge = await _post_charge(platform, charge_body(patient["id"], service_id))
    assert status == 201 and charge["outcome"] == "orders_created"
    (order_id,) = charge["order_ids"]
    order = await get_order(platform, order_id)
    assert order["lab_id"] == lab["id"] and order["charge_id"] == charge["id"]
    assert sorted(t["test_id"] for t in order["tests"]) == sorted(t["id"] for t in tests)
    assert sorted(s["container_type"] for s in order["samples"]) == ["EDTA", "serum"]
    assert all(is_valid_generated_barcode(s["barcode"]) for s in order["samples"])


async def test_the_same_charge_twice_makes_one_order(platform: Platform, publish_event: Publish) -> None:
    patient = await make_patient(platform, publish_event)
    service_id, _lab, _tests = await _linked_service(platform)
    body = charge_body(patient["id"], service_id)
    first_status, first = await _post_charge(platform, body)
    second_status, second = await _post_charge(platform, body)
    assert (first_status, second_status) == (201, 200)
    assert second["order_ids"] == first["order_ids"]
    listed = await platform.client.get(
        f"{API}/orders", params={"charge_id": body["id"]}, headers=platform.admin_headers
    )
    assert listed.json()["total"] == 1


async def test_a_charge_event_makes_an_order_once_even_when_redelivered(
    platform: Platform, publish_event: Publish
) -> None:
    patient = await make_patient(platform, publish_event)
    service_id, _lab, tests = await _linked_service(platform)
    body = charge_body(patient["id"], service_id)
    await publish_event(charge_event(body))
    await publish_event(charge_event(body))  # another envelope, same charge: a second billing delivery

    async def charged() -> dict | None:
        response = await platform.client.get(f"{API}/charges/{body['id']}", headers=platform.admin_headers)
        return response.json() if response.status_code == 200 else None

    charge = await eventually(charged)
    assert charge["source"] == "event" and len(charge["order_ids"]) == 1
    order = await get_order(platform, charge["order_ids"][0])
    assert len(order["tests"]) == len(tests)
    listed = await platform.client.get(
        f"{API}/orders", params={"charge_id": body["id"]}, headers=platform.admin_headers
    )
    assert listed.json()["total"] == 1


async def test_a_charge_for_a_lab_not_chosen_in_the_settings_orders_nothing(
    platform: Platform, publish_event: Publish
) -> None:
    patient = await make_patient(platform, publish_event)
    service_id, _lab, _tests = await _linked_service(platform, charge_labs=False)
    status, charge = await _post_charge(platform, charge_body(patient["id"], service_id))
    assert status == 201 and (charge["outcome"], charge["order_ids"]) == ("no_linked_tests", [])


async def test_a_charge_while_create_on_charge_is_off_orders_nothing(
    platform: Platform, publish_event: Publish
) -> None:
    patient = await make_patient(platform, publish_event)
    service_id, _lab, _tests = await _linked_service(platform)
    await put_settings(platform, create_on_charge=False)
    _status, charge = await _post_charge(platform, charge_body(patient["id"], service_id))
    assert (charge["outcome"], charge["order_ids"]) == ("off", [])


async def test_a_charge_for_an_unknown_patient_is_422_naming_patient_id(platform: Platform) -> None:
    service_id, _lab, _tests = await _linked_service(platform)
    status, body = await _post_charge(platform, charge_body(str(uuid.uuid4()), service_id))
    assert status == 422 and body["errors"][0]["field"] == "patient_id"


async def test_a_charge_for_three_makes_one_order_with_each_test_once_and_keeps_the_quantity(
    platform: Platform, publish_event: Publish
) -> None:
    patient = await make_patient(platform, publish_event)
    service_id, _lab, tests = await _linked_service(platform)

    status, charge = await _post_charge(platform, charge_body(patient["id"], service_id, quantity=3))

    assert status == 201 and charge["quantity"] == 3
    (order_id,) = charge["order_ids"]
    order = await get_order(platform, order_id)
    assert sorted(t["test_id"] for t in order["tests"]) == sorted(t["id"] for t in tests)
    history = await platform.client.get(f"{API}/orders/{order_id}/history", headers=platform.admin_headers)
    created = next(e for e in history.json()["items"] if e["action"] == "created")
    assert created["details"]["charge_quantity"] == 3
