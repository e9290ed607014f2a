"""Object-level access: a lab doctor is held to their lab on every order route, and the online
booking widget's key opens the widget API and nothing else (no patient data)."""

from __future__ import annotations

from typing import Any

from security_builders import lab_order, lab_patient, widget_key
from security_walk import PUBLIC, call, operations

from clinic_shared.testing.platform import Platform

LAB_RIGHTS_BUT_ALL_LABS = ["lab.read", "lab.create_order", "lab.results", "lab.directories", "lab.settings"]


def bodies(other: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """Valid bodies, so that only the lab check can refuse the call."""
    return {
        ("POST", "/api/lab/orders/{order_id}/status"): {"status": "in_progress"},
        ("POST", "/api/lab/orders/{order_id}/cancel"): {"reason": "not mine"},
        ("PUT", "/api/lab/orders/{order_id}/samples/{sample_id}/barcode"): {"barcode": "12345678"},
        ("POST", "/api/lab/orders/{order_id}/results"): {"results": [{"test_id": other["test_id"], "value": "5.1"}]},
        ("POST", "/api/lab/orders/{order_id}/results/{test_id}/correction"): {"value": "5.2", "reason": "typo"},
    }


async def test_a_lab_doctor_reaches_no_route_of_another_labs_order_and_changes_nothing(
    platform: Platform, openapi_document: dict[str, Any]
) -> None:
    patient = await lab_patient(platform)
    own, other = await lab_order(platform, patient), await lab_order(platform, patient)
    doctor = await platform.headers_with(LAB_RIGHTS_BUT_ALL_LABS, claims={"lab_id": own["lab_id"]})
    before = (await platform.client.get(f"/api/lab/orders/{other['id']}", headers=platform.admin_headers)).json()
    values = {"order_id": other["id"], "sample_id": other["samples"][0]["id"], "test_id": other["test_id"]}
    order_routes = [op for op in operations(openapi_document) if "{order_id}" in op.path]
    answers = {}
    for op in order_routes:
        body = bodies(other).get(op.key)
        response = await platform.client.request(op.method, op.url(values), json=body, headers=doctor)
        answers[str(op)] = response.status_code
    after = (await platform.client.get(f"/api/lab/orders/{other['id']}", headers=platform.admin_headers)).json()
    own_seen = await platform.client.get(f"/api/lab/orders/{own['id']}", headers=doctor)
    assert len(order_routes) >= 10 and {op: s for op, s in answers.items() if s not in (403, 404)} == {}
    assert after == before
    assert own_seen.status_code == 200


async def test_the_widget_key_opens_no_staff_operation(platform: Platform, openapi_document: dict[str, Any]) -> None:
    key = await widget_key(platform)
    staff_ops = [op for op in operations(openapi_document) if op.key not in PUBLIC]
    answers = {str(op): (await call(platform.client, op, {"X-Api-Key": key})).status_code for op in staff_ops}
    assert {op: status for op, status in answers.items() if status != 401} == {}


async def test_the_widget_key_sent_as_a_bearer_token_cannot_read_patients(platform: Platform) -> None:
    key = await widget_key(platform)
    response = await platform.client.get("/api/patients/cards", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 401


async def test_the_widget_key_does_read_the_widget_api(platform: Platform) -> None:
    key = await widget_key(platform)
    response = await platform.client.get("/api/scheduling/online/doctors", headers={"X-Api-Key": key})
    assert response.status_code == 200


async def test_a_staff_token_does_not_replace_the_widget_key(platform: Platform) -> None:
    response = await platform.client.get("/api/scheduling/online/doctors", headers=platform.admin_headers)
    assert response.status_code == 401
