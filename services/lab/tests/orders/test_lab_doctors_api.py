"""Lab doctors see only their lab's orders (LAB-7)."""

from __future__ import annotations

from lab_builders import API, Publish, make_lab, make_order, make_patient, make_test

from clinic_shared.testing.platform import Platform


async def _orders_in_two_labs(platform: Platform, publish_event: Publish) -> tuple[dict, dict, dict]:
    patient = await make_patient(platform, publish_event)
    own_lab, other_lab = await make_lab(platform), await make_lab(platform)
    own = await make_order(platform, patient["id"], own_lab["id"], [(await make_test(platform, own_lab["id"]))["id"]])
    other = await make_order(
        platform, patient["id"], other_lab["id"], [(await make_test(platform, other_lab["id"]))["id"]]
    )
    return own_lab, own, other


async def test_a_lab_doctor_lists_only_their_labs_orders(platform: Platform, publish_event: Publish) -> None:
    own_lab, own, _other = await _orders_in_two_labs(platform, publish_event)
    headers = await platform.headers_with(["lab.read", "lab.results"], claims={"lab_id": own_lab["id"]})
    response = await platform.client.get(f"{API}/orders", headers=headers)
    assert [o["id"] for o in response.json()["items"]] == [own["id"]]


async def test_a_lab_doctor_cannot_read_another_labs_order(platform: Platform, publish_event: Publish) -> None:
    own_lab, own, other = await _orders_in_two_labs(platform, publish_event)
    headers = await platform.headers_with(["lab.read", "lab.results"], claims={"lab_id": own_lab["id"]})
    assert (await platform.client.get(f"{API}/orders/{own['id']}", headers=headers)).status_code == 200
    assert (await platform.client.get(f"{API}/orders/{other['id']}", headers=headers)).status_code == 404
    labels = await platform.client.get(f"{API}/orders/{other['id']}/labels.zpl", headers=headers)
    assert labels.status_code == 404


async def test_the_all_labs_right_sees_every_order_despite_the_claim(
    platform: Platform, publish_event: Publish
) -> None:
    own_lab, own, other = await _orders_in_two_labs(platform, publish_event)
    headers = await platform.headers_with(["lab.read", "lab.all_labs"], claims={"lab_id": own_lab["id"]})
    response = await platform.client.get(f"{API}/orders", headers=headers)
    assert {o["id"] for o in response.json()["items"]} == {own["id"], other["id"]}
