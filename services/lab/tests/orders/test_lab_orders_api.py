"""Orders by hand through the gateway (LAB-4, LAB-7)."""

from __future__ import annotations

import re
import uuid

from lab_builders import (
    API,
    Publish,
    get_order,
    make_lab,
    make_order,
    make_patient,
    make_test,
    patient_event,
    wait_projected,
)

from clinic_shared.testing.platform import Platform
from lab.orders.rules import is_valid_generated_barcode


async def _order_with_two_containers(platform: Platform, publish_event: Publish) -> tuple[dict, dict, list[dict]]:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    tests = [
        await make_test(platform, lab["id"], name="Гемоглобин", container_type="EDTA"),
        await make_test(platform, lab["id"], name="Глюкоза", container_type="serum"),
        await make_test(platform, lab["id"], name="Лейкоциты", container_type="EDTA"),
    ]
    order = await make_order(platform, patient["id"], lab["id"], [t["id"] for t in tests])
    return order, lab, tests


async def test_order_groups_tests_into_one_sample_per_container(platform: Platform, publish_event: Publish) -> None:
    order, _lab, tests = await _order_with_two_containers(platform, publish_event)
    samples = {s["container_type"]: s for s in order["samples"]}
    assert set(samples) == {"EDTA", "serum"}
    assert samples["EDTA"]["test_ids"] == [tests[0]["id"], tests[2]["id"]]
    assert samples["serum"]["test_ids"] == [tests[1]["id"]]


async def test_each_sample_gets_a_distinct_check_digit_barcode(platform: Platform, publish_event: Publish) -> None:
    order, _lab, _tests = await _order_with_two_containers(platform, publish_event)
    barcodes = [s["barcode"] for s in order["samples"]]
    assert len(set(barcodes)) == 2
    assert all(is_valid_generated_barcode(b) for b in barcodes)


async def test_new_order_has_a_readable_number_and_status_created(platform: Platform, publish_event: Publish) -> None:
    order, _lab, _tests = await _order_with_two_containers(platform, publish_event)
    assert re.fullmatch(r"L-\d{4}-\d{6}", order["number"])
    assert order["status"] == "created"
    assert order["patient"]["short_name"] == "Иванов И. П."


async def test_order_creation_publishes_lab_order_created(platform: Platform, publish_event: Publish) -> None:
    order, lab, tests = await _order_with_two_containers(platform, publish_event)
    event = await platform.wait_for_event("lab_order.created", lambda e: e.data["id"] == order["id"])
    assert event.data["number"] == order["number"]
    assert event.data["lab_id"] == lab["id"]
    assert sorted(event.data["test_ids"]) == sorted(t["id"] for t in tests)


async def test_order_copies_the_default_case_from_the_settings(platform: Platform, publish_event: Publish) -> None:
    response = await platform.client.put(
        f"{API}/settings",
        json={"default_case": {"case_type": "амбулаторный", "payment_type": "ОМС"}},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    assert response.status_code == 200
    order, _lab, _tests = await _order_with_two_containers(platform, publish_event)
    assert order["case"] == {"case_type": "амбулаторный", "payment_type": "ОМС"}


async def test_order_with_an_unknown_test_is_refused_naming_it(platform: Platform, publish_event: Publish) -> None:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    body = {"patient_id": patient["id"], "lab_id": lab["id"], "test_ids": [test["id"], str(uuid.uuid4())]}
    response = await platform.client.post(f"{API}/orders", json=body, headers=platform.admin_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "test_ids.1"


async def test_order_with_another_labs_test_is_refused(platform: Platform, publish_event: Publish) -> None:
    patient = await make_patient(platform, publish_event)
    lab, other_lab = await make_lab(platform), await make_lab(platform)
    test = await make_test(platform, other_lab["id"])
    body = {"patient_id": patient["id"], "lab_id": lab["id"], "test_ids": [test["id"]]}
    response = await platform.client.post(f"{API}/orders", json=body, headers=platform.admin_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "test_ids.0"


async def test_order_for_an_unknown_patient_is_refused_naming_patient_id(
    platform: Platform, publish_event: Publish
) -> None:
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    body = {"patient_id": str(uuid.uuid4()), "lab_id": lab["id"], "test_ids": [test["id"]]}
    response = await platform.client.post(f"{API}/orders", json=body, headers=platform.admin_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "patient_id"


async def test_order_for_a_deleted_patient_is_refused(platform: Platform, publish_event: Publish) -> None:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    await publish_event(patient_event("patient.deleted", version=2, id=patient["id"]))
    await wait_projected(platform, patient["id"], version=2)
    body = {"patient_id": patient["id"], "lab_id": lab["id"], "test_ids": [test["id"]]}
    response = await platform.client.post(f"{API}/orders", json=body, headers=platform.admin_headers)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "field": "patient_id",
        "code": "patient_deleted",
        "message": f"patient {patient['id']} is deleted",
    }


async def test_creating_an_order_without_the_right_is_403(platform: Platform, publish_event: Publish) -> None:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    headers = await platform.headers_with(["lab.read"])
    body = {"patient_id": patient["id"], "lab_id": lab["id"], "test_ids": [test["id"]]}
    response = await platform.client.post(f"{API}/orders", json=body, headers=headers)
    assert response.status_code == 403
    assert "lab.create_order" in response.json()["detail"]


async def test_the_create_order_right_alone_is_enough_to_order(platform: Platform, publish_event: Publish) -> None:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    headers = await platform.headers_with(["lab.create_order"])
    body = {"patient_id": patient["id"], "lab_id": lab["id"], "test_ids": [test["id"]]}
    response = await platform.client.post(f"{API}/orders", json=body, headers=headers)
    assert response.status_code == 201, response.text


async def test_illegal_status_change_is_409_naming_from_and_to(platform: Platform, publish_event: Publish) -> None:
    order, _lab, _tests = await _order_with_two_containers(platform, publish_event)
    response = await platform.client.post(
        f"{API}/orders/{order['id']}/status", json={"status": "completed"}, headers=platform.admin_headers
    )
    assert response.status_code == 409
    body = response.json()
    assert (body["from_status"], body["to_status"]) == ("created", "completed")


async def test_cancelled_order_cannot_be_sent(platform: Platform, publish_event: Publish) -> None:
    order, _lab, _tests = await _order_with_two_containers(platform, publish_event)
    cancel = await platform.client.post(f"{API}/orders/{order['id']}/cancel", headers=platform.admin_headers)
    assert cancel.status_code == 200 and cancel.json()["status"] == "cancelled"
    response = await platform.client.post(
        f"{API}/orders/{order['id']}/status", json={"status": "sent"}, headers=platform.admin_headers
    )
    assert response.status_code == 409
    assert (response.json()["from_status"], response.json()["to_status"]) == ("cancelled", "sent")


async def test_a_barcode_already_in_use_is_refused(platform: Platform, publish_event: Publish) -> None:
    first, _lab, _tests = await _order_with_two_containers(platform, publish_event)
    second, _lab2, _tests2 = await _order_with_two_containers(platform, publish_event)
    taken = first["samples"][0]["barcode"]
    sample = second["samples"][0]
    response = await platform.client.put(
        f"{API}/orders/{second['id']}/samples/{sample['id']}/barcode",
        json={"barcode": taken},
        headers=platform.admin_headers,
    )
    assert response.status_code == 409
    assert response.json()["conflicts"] == [{"order_id": first["id"], "sample_id": first["samples"][0]["id"]}]
    assert (await get_order(platform, second["id"]))["samples"][0]["barcode"] == sample["barcode"]


async def test_a_preprinted_barcode_can_replace_the_generated_one(platform: Platform, publish_event: Publish) -> None:
    order, _lab, _tests = await _order_with_two_containers(platform, publish_event)
    sample = order["samples"][0]
    response = await platform.client.put(
        f"{API}/orders/{order['id']}/samples/{sample['id']}/barcode",
        json={"barcode": "4600000123456"},
        headers=platform.admin_headers,
    )
    assert response.status_code == 200
    assert response.json()["samples"][0]["barcode"] == "4600000123456"


async def test_order_history_records_creation_and_cancellation(platform: Platform, publish_event: Publish) -> None:
    order, _lab, _tests = await _order_with_two_containers(platform, publish_event)
    await platform.client.post(
        f"{API}/orders/{order['id']}/cancel", json={"reason": "пациент ушёл"}, headers=platform.admin_headers
    )
    response = await platform.client.get(f"{API}/orders/{order['id']}/history", headers=platform.admin_headers)
    assert response.status_code == 200
    actions = [(e["action"], e["details"].get("to")) for e in response.json()["items"]]
    assert actions == [("created", None), ("status_changed", "cancelled")]
    assert response.json()["items"][1]["details"]["reason"] == "пациент ушёл"


async def test_orders_are_listed_by_patient(platform: Platform, publish_event: Publish) -> None:
    order, _lab, _tests = await _order_with_two_containers(platform, publish_event)
    await _order_with_two_containers(platform, publish_event)
    response = await platform.client.get(
        f"{API}/orders", params={"patient_id": order["patient_id"]}, headers=platform.admin_headers
    )
    assert response.status_code == 200
    assert [o["id"] for o in response.json()["items"]] == [order["id"]]
    assert response.json()["total"] == 1
