"""The exchange worker against the in-process fake lab (LAB-8)."""

from __future__ import annotations

import pytest
from lab_builders import API, Publish, eventually, fake_lab, get_order, make_lab, make_order, make_patient, make_test

from clinic_shared.testing.platform import Platform

pytestmark = pytest.mark.usefixtures("exchange_worker_on")


async def _order(platform: Platform, publish_event: Publish) -> dict:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    tests = [await make_test(platform, lab["id"]), await make_test(platform, lab["id"], container_type="serum")]
    return await make_order(platform, patient["id"], lab["id"], [t["id"] for t in tests])


async def _send(platform: Platform, order_id: str) -> dict:
    response = await platform.client.post(f"{API}/orders/{order_id}/send", headers=platform.admin_headers)
    assert response.status_code == 202, response.text
    return response.json()


async def test_a_send_refused_twice_is_retried_and_delivered_once(platform: Platform, publish_event: Publish) -> None:
    lab = fake_lab(platform)
    lab.fail_next_sends, lab.result_delay_seconds = 2, 3600
    order = await _order(platform, publish_event)
    queued = await _send(platform, order["id"])
    assert queued["exchange"]["state"] == "pending"

    async def delivered() -> dict | None:
        current = await get_order(platform, order["id"])
        return current if current["status"] == "sent" and current["exchange"]["state"] == "sent" else None

    sent = await eventually(delivered)
    assert sent["exchange"]["attempts"] == 3 and sent["exchange"]["external_id"].startswith("FL-")
    assert lab.send_calls == 3 and lab.accepted_order_ids() == [order["id"]]


async def test_results_from_the_lab_complete_the_order(platform: Platform, publish_event: Publish) -> None:
    order = await _order(platform, publish_event)
    await _send(platform, order["id"])

    async def completed() -> dict | None:
        current = await get_order(platform, order["id"])
        return current if current["status"] == "completed" else None

    done = await eventually(completed)
    assert done["exchange"]["state"] == "completed"
    assert {r["source"] for r in done["results"]} == {"exchange"}
    assert {r["flag"] for r in done["results"]} == {"normal"}  # the fake answers inside the range


@pytest.fixture
def two_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_LAB_EXCHANGE_MAX_ATTEMPTS", "2")


async def test_a_lab_that_keeps_refusing_leaves_the_order_failed_with_the_error(
    two_attempts: None, platform: Platform, publish_event: Publish
) -> None:
    fake_lab(platform).fail_next_sends = 1000
    order = await _order(platform, publish_event)
    await _send(platform, order["id"])

    async def failed() -> dict | None:
        current = await get_order(platform, order["id"])
        return current if current["exchange"]["state"] == "failed" else None

    current = await eventually(failed)
    assert current["exchange"]["attempts"] == 2 and "500" in current["exchange"]["last_error"]
    assert current["status"] == "created"


async def test_a_cancelled_order_cannot_be_sent(platform: Platform, publish_event: Publish) -> None:
    order = await _order(platform, publish_event)
    await platform.client.post(f"{API}/orders/{order['id']}/cancel", headers=platform.admin_headers)
    response = await platform.client.post(f"{API}/orders/{order['id']}/send", headers=platform.admin_headers)
    assert response.status_code == 409
