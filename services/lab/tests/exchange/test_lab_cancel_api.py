"""Cancelling an order the lab already has tells the lab (LAB-4, LAB-8), with the in-process fake lab."""

from __future__ import annotations

import asyncio

import pytest
from lab_builders import API, Publish, eventually, fake_lab, get_order, make_lab, make_order, make_patient, make_test

from clinic_shared.testing.platform import Platform

pytestmark = pytest.mark.usefixtures("exchange_worker_on")


async def _order(platform: Platform, publish_event: Publish) -> dict:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    return await make_order(platform, patient["id"], lab["id"], [test["id"]])


async def _sent_order(platform: Platform, publish_event: Publish) -> dict:
    """An order the lab acknowledged and is working on (its results are an hour away)."""
    fake_lab(platform).result_delay_seconds = 3600
    order = await _order(platform, publish_event)
    response = await platform.client.post(f"{API}/orders/{order['id']}/send", headers=platform.admin_headers)
    assert response.status_code == 202, response.text

    async def sent() -> dict | None:
        current = await get_order(platform, order["id"])
        return current if current["exchange"]["state"] == "sent" else None

    return await eventually(sent)


async def _cancel(platform: Platform, order_id: str, reason: str = "the patient changed their mind") -> dict:
    response = await platform.client.post(
        f"{API}/orders/{order_id}/cancel", json={"reason": reason}, headers=platform.admin_headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def _cancel_settled(platform: Platform, order_id: str, state: str) -> dict:
    async def settled() -> dict | None:
        current = await get_order(platform, order_id)
        cancel = current["exchange"]["cancel"]
        return current if cancel and cancel["state"] == state else None

    return await eventually(settled)


async def _history_actions(platform: Platform, order_id: str) -> list[str]:
    response = await platform.client.get(f"{API}/orders/{order_id}/history", headers=platform.admin_headers)
    assert response.status_code == 200, response.text
    return [entry["action"] for entry in response.json()["items"]]


async def test_cancelling_an_order_the_lab_has_tells_the_lab(platform: Platform, publish_event: Publish) -> None:
    order = await _sent_order(platform, publish_event)

    cancelled = await _cancel(platform, order["id"])

    assert cancelled["status"] == "cancelled" and cancelled["exchange"]["state"] == "cancelled"
    done = await _cancel_settled(platform, order["id"], "delivered")
    assert done["exchange"]["cancel"]["message"] == "Лаборатория подтвердила отмену заказа."
    assert fake_lab(platform).cancellations == [order["id"]]
    assert (await _history_actions(platform, order["id"]))[-2:] == ["cancel_queued", "cancel_delivered"]


async def test_a_lab_down_during_the_cancel_hears_of_it_once_after_it_recovers(
    platform: Platform, publish_event: Publish
) -> None:
    lab = fake_lab(platform)
    order = await _sent_order(platform, publish_event)
    lab.fail_next_cancels = 3

    await _cancel(platform, order["id"])

    done = await _cancel_settled(platform, order["id"], "delivered")
    assert done["exchange"]["cancel"]["attempts"] == 4 and done["exchange"]["cancel"]["last_error"] is None
    assert lab.cancel_calls == 4 and lab.cancellations == [order["id"]]


async def test_a_cancellation_waiting_for_the_lab_shows_as_pending_with_the_error(
    platform: Platform, publish_event: Publish
) -> None:
    lab = fake_lab(platform)
    order = await _sent_order(platform, publish_event)
    lab.fail_next_cancels = 1000

    await _cancel(platform, order["id"])

    async def retried() -> dict | None:
        cancel = (await get_order(platform, order["id"]))["exchange"]["cancel"]
        return cancel if cancel["attempts"] >= 2 else None

    cancel = await eventually(retried)
    assert cancel["state"] == "pending" and "503" in cancel["last_error"]
    assert "ещё не подтвердила отмену" in cancel["message"] and lab.cancellations == []


async def test_a_lab_that_already_analysed_the_samples_refuses_and_the_order_says_so(
    platform: Platform, publish_event: Publish
) -> None:
    order = await _sent_order(platform, publish_event)
    fake_lab(platform).mark_analysed(order["id"])

    await _cancel(platform, order["id"])

    refused = await _cancel_settled(platform, order["id"], "refused")
    cancel = refused["exchange"]["cancel"]
    assert refused["status"] == "cancelled"
    assert cancel["refusal_reason"] == "samples already analysed"
    assert "отказалась отменить заказ (samples already analysed)" in cancel["message"]
    assert "cancel_refused" in await _history_actions(platform, order["id"])


async def test_an_order_cancelled_before_the_lab_acknowledged_it_is_no_longer_sent(
    platform: Platform, publish_event: Publish
) -> None:
    lab = fake_lab(platform)
    lab.fail_next_sends = 1000
    order = await _order(platform, publish_event)
    await platform.client.post(f"{API}/orders/{order['id']}/send", headers=platform.admin_headers)

    async def tried() -> bool:
        return (await get_order(platform, order["id"]))["exchange"]["attempts"] >= 1

    await eventually(tried)
    cancelled = await _cancel(platform, order["id"])

    assert cancelled["exchange"]["state"] == "cancelled" and cancelled["exchange"]["cancel"] is None
    await asyncio.sleep(0.3)  # a try that was already in flight ends
    calls = lab.send_calls
    await asyncio.sleep(0.5)  # several worker ticks: no new try goes out
    assert lab.send_calls == calls and lab.accepted_order_ids() == [] and lab.cancel_calls == 0
    assert (await get_order(platform, order["id"]))["exchange"]["state"] == "cancelled"


async def test_an_order_cancelled_while_its_send_is_in_flight_is_cancelled_at_the_lab_after_it(
    platform: Platform, publish_event: Publish
) -> None:
    lab = fake_lab(platform)
    lab.result_delay_seconds, lab.send_gate = 3600, asyncio.Event()
    order = await _order(platform, publish_event)
    await platform.client.post(f"{API}/orders/{order['id']}/send", headers=platform.admin_headers)

    async def in_flight() -> bool:
        return lab.send_calls == 1

    await eventually(in_flight)
    cancelled = await _cancel(platform, order["id"])
    assert cancelled["exchange"]["cancel"] is None  # the lab has not acknowledged it yet
    lab.send_gate.set()

    done = await _cancel_settled(platform, order["id"], "delivered")
    assert done["exchange"]["external_id"].startswith("FL-")
    assert lab.accepted_order_ids() == [order["id"]] and lab.cancellations == [order["id"]]
    actions = await _history_actions(platform, order["id"])
    assert actions.index("sent") < actions.index("cancel_queued") < actions.index("cancel_delivered")


async def test_results_posted_for_a_cancelled_order_are_refused_and_journaled(
    platform: Platform, publish_event: Publish
) -> None:
    order = await _sent_order(platform, publish_event)
    await _cancel(platform, order["id"])
    test_id = order["tests"][0]["test_id"]

    response = await platform.client.post(
        f"{API}/orders/{order['id']}/results",
        json={"results": [{"test_id": test_id, "value": "140"}]},
        headers=platform.admin_headers,
    )

    assert response.status_code == 409 and response.json()["order_status"] == "cancelled"
    history = await platform.client.get(f"{API}/orders/{order['id']}/history", headers=platform.admin_headers)
    refused = [e for e in history.json()["items"] if e["action"] == "results_refused"]
    assert [e["details"]["test_ids"] for e in refused] == [[test_id]]
    assert refused[0]["details"]["reason"] == "заказ отменён"
    assert (await get_order(platform, order["id"]))["results"] == []


@pytest.fixture
def two_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_LAB_EXCHANGE_MAX_ATTEMPTS", "2")


async def test_a_cancellation_given_up_is_retried_by_cancelling_again(
    two_attempts: None, platform: Platform, publish_event: Publish
) -> None:
    lab = fake_lab(platform)
    order = await _sent_order(platform, publish_event)
    lab.fail_next_cancels = 2
    await _cancel(platform, order["id"])
    failed = await _cancel_settled(platform, order["id"], "failed")
    assert "попыток: 2" in failed["exchange"]["cancel"]["message"] and lab.cancellations == []

    again = await _cancel(platform, order["id"])

    assert again["exchange"]["cancel"]["state"] == "pending"
    await _cancel_settled(platform, order["id"], "delivered")
    assert lab.cancellations == [order["id"]]


async def test_cancelling_again_once_the_lab_confirmed_is_refused(platform: Platform, publish_event: Publish) -> None:
    order = await _sent_order(platform, publish_event)
    await _cancel(platform, order["id"])
    await _cancel_settled(platform, order["id"], "delivered")

    response = await platform.client.post(f"{API}/orders/{order['id']}/cancel", headers=platform.admin_headers)

    assert response.status_code == 409 and response.json()["from_status"] == "cancelled"
    assert fake_lab(platform).cancel_calls == 1


async def test_a_cancellation_waiting_for_the_lab_counts_as_pending_on_metrics(
    platform: Platform, publish_event: Publish
) -> None:
    order = await _sent_order(platform, publish_event)
    fake_lab(platform).fail_next_cancels = 1000
    await _cancel(platform, order["id"])

    scrape = await platform.scrape("lab")

    assert scrape.value("outbound_queue_depth", service="lab", target="lab", state="pending") == 1
    assert scrape.value("outbound_queue_depth", service="lab", target="lab", state="awaiting_results") == 0
    assert scrape.value("outbound_oldest_pending_age_seconds", service="lab", target="lab") > 0
