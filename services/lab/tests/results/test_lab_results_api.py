"""Results through the gateway (LAB-6): flags, completion, events, corrections."""

from __future__ import annotations

import uuid

from lab_builders import API, Publish, get_order, make_lab, make_order, make_patient, make_test

from clinic_shared.testing.platform import Platform


async def _order(platform: Platform, publish_event: Publish) -> tuple[dict, dict, dict]:
    """An order of haemoglobin (120–160, critical < 70) and glucose (3.3–5.5)."""
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    hb = await make_test(platform, lab["id"], code="HB", critical_low=70)
    glu = await make_test(
        platform,
        lab["id"],
        code="GLU",
        name="Глюкоза",
        container_type="serum",
        units="ммоль/л",
        reference_low=3.3,
        reference_high=5.5,
    )
    order = await make_order(
        platform, patient["id"], lab["id"], [hb["id"], glu["id"]], appointment_id=str(uuid.uuid4())
    )
    return order, hb, glu


async def _post(platform: Platform, order_id: str, results: list[dict]) -> tuple[int, dict]:
    response = await platform.client.post(
        f"{API}/orders/{order_id}/results", json={"results": results}, headers=platform.admin_headers
    )
    return response.status_code, response.json()


async def test_flags_are_computed_from_the_range_and_critical_limits(
    platform: Platform, publish_event: Publish
) -> None:
    order, hb, glu = await _order(platform, publish_event)
    status, body = await _post(
        platform, order["id"], [{"test_id": hb["id"], "value": 65}, {"test_id": glu["id"], "value": "6,1"}]
    )
    assert status == 200, body
    flags = {r["test_id"]: (r["value"], r["flag"], r["units"]) for r in body["results"]}
    assert flags == {hb["id"]: ("65", "critical", "г/л"), glu["id"]: ("6,1", "high", "ммоль/л")}


async def test_a_flag_sent_with_a_text_value_is_kept(platform: Platform, publish_event: Publish) -> None:
    order, hb, _glu = await _order(platform, publish_event)
    status, body = await _post(platform, order["id"], [{"test_id": hb["id"], "value": "гемолиз", "flag": "low"}])
    assert status == 200
    assert body["results"][0]["flag"] == "low"


async def test_a_result_for_a_test_not_in_the_order_is_422_naming_test_id(
    platform: Platform, publish_event: Publish
) -> None:
    order, hb, _glu = await _order(platform, publish_event)
    status, body = await _post(
        platform, order["id"], [{"test_id": hb["id"], "value": "140"}, {"test_id": str(uuid.uuid4()), "value": "1"}]
    )
    assert status == 422
    assert body["errors"][0]["field"] == "results.1.test_id"
    assert (await get_order(platform, order["id"]))["results"] == []


async def test_the_first_result_puts_the_order_in_progress(platform: Platform, publish_event: Publish) -> None:
    order, hb, _glu = await _order(platform, publish_event)
    _status, body = await _post(platform, order["id"], [{"test_id": hb["id"], "value": "140"}])
    assert body["status"] == "in_progress"


async def test_all_results_complete_the_order_and_all_done_is_published_once(
    platform: Platform, publish_event: Publish
) -> None:
    order, hb, glu = await _order(platform, publish_event)
    await _post(platform, order["id"], [{"test_id": hb["id"], "value": "140"}])
    _status, body = await _post(platform, order["id"], [{"test_id": glu["id"], "value": "4.2"}])
    assert body["status"] == "completed"
    await platform.wait_for_event(
        "lab_result.ready", lambda e: e.data["order_id"] == order["id"] and e.data["all_done"]
    )
    events = [e for e in platform.spy.of_type("lab_result.ready") if e.data["order_id"] == order["id"]]
    assert sorted((e.data["test_id"], e.data["all_done"]) for e in events if e.data["test_id"]) == sorted(
        [(hb["id"], False), (glu["id"], False)]
    )
    assert [e.data["all_done"] for e in events].count(True) == 1
    assert all(e.data["appointment_id"] == order["appointment_id"] for e in events)


async def test_results_of_a_completed_order_cannot_be_posted_again(platform: Platform, publish_event: Publish) -> None:
    order, hb, glu = await _order(platform, publish_event)
    await _post(platform, order["id"], [{"test_id": hb["id"], "value": "140"}, {"test_id": glu["id"], "value": "4.2"}])
    status, _body = await _post(platform, order["id"], [{"test_id": hb["id"], "value": "150"}])
    assert status == 409
    assert (await get_order(platform, order["id"]))["tests"][0]["result"]["value"] == "140"


async def test_a_correction_changes_a_final_result_and_is_journaled(platform: Platform, publish_event: Publish) -> None:
    order, hb, glu = await _order(platform, publish_event)
    await _post(platform, order["id"], [{"test_id": hb["id"], "value": "140"}, {"test_id": glu["id"], "value": "4.2"}])
    response = await platform.client.post(
        f"{API}/orders/{order['id']}/results/{hb['id']}/correction",
        json={"value": "170", "reason": "ошибка ввода"},
        headers=platform.admin_headers,
    )
    assert response.status_code == 200
    corrected = next(r for r in response.json()["results"] if r["test_id"] == hb["id"])
    assert (corrected["value"], corrected["flag"], corrected["corrected"]) == ("170", "high", True)
    history = await platform.client.get(f"{API}/orders/{order['id']}/history", headers=platform.admin_headers)
    entry = next(e for e in history.json()["items"] if e["action"] == "result_corrected")
    assert entry["details"]["before"]["value"] == "140" and entry["details"]["after"]["value"] == "170"
    assert entry["details"]["reason"] == "ошибка ввода" and entry["username"] == "admin"


async def test_entering_results_needs_the_results_right(platform: Platform, publish_event: Publish) -> None:
    order, hb, _glu = await _order(platform, publish_event)
    headers = await platform.headers_with(["lab.read", "lab.create_order"])
    response = await platform.client.post(
        f"{API}/orders/{order['id']}/results", json={"results": [{"test_id": hb["id"], "value": "1"}]}, headers=headers
    )
    assert response.status_code == 403
