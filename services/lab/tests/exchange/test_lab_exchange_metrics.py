"""The exchange queue on the lab service's /metrics (LAB-8): what a Prometheus scrape shows."""

from __future__ import annotations

import pytest
from lab_builders import API, Publish, eventually, fake_lab, get_order, make_lab, make_order, make_patient, make_test

from clinic_shared.testing.platform import Platform, Scrape


async def _queued_order(platform: Platform, publish_event: Publish) -> dict:
    patient = await make_patient(platform, publish_event)
    lab = await make_lab(platform)
    test = await make_test(platform, lab["id"])
    order = await make_order(platform, patient["id"], lab["id"], [test["id"]])
    response = await platform.client.post(f"{API}/orders/{order['id']}/send", headers=platform.admin_headers)
    assert response.status_code == 202, response.text
    return order


def _depth(scrape: Scrape, state: str) -> float | None:
    return scrape.value("outbound_queue_depth", service="lab", target="lab", state=state)


async def test_an_empty_queue_shows_zero_for_every_state(platform: Platform) -> None:
    scrape = await platform.scrape("lab")

    assert [_depth(scrape, s) for s in ("pending", "failed", "awaiting_results")] == [0, 0, 0]
    assert scrape.value("outbound_oldest_pending_age_seconds", service="lab", target="lab") == 0


async def test_orders_waiting_to_be_sent_show_as_pending_with_the_age_of_the_oldest(
    platform: Platform, publish_event: Publish
) -> None:
    # The exchange worker is off (conftest): queued orders stay pending.
    await _queued_order(platform, publish_event)
    await _queued_order(platform, publish_event)

    scrape = await platform.scrape("lab")

    assert _depth(scrape, "pending") == 2
    assert scrape.value("outbound_oldest_pending_age_seconds", service="lab", target="lab") > 0


@pytest.fixture
def worker_that_gives_up(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_LAB_EXCHANGE_WORKER", "true")
    monkeypatch.setenv("CLINIC_LAB_EXCHANGE_MAX_ATTEMPTS", "1")


async def test_an_order_the_lab_kept_refusing_shows_as_failed_and_no_longer_pending(
    worker_that_gives_up: None, platform: Platform, publish_event: Publish
) -> None:
    fake_lab(platform).fail_next_sends = 1000
    await _queued_order(platform, publish_event)

    async def failed() -> Scrape | None:
        scrape = await platform.scrape("lab")
        return scrape if _depth(scrape, "failed") == 1 else None

    scrape = await eventually(failed)
    assert _depth(scrape, "pending") == 0
    assert scrape.value("outbound_oldest_pending_age_seconds", service="lab", target="lab") == 0


async def test_a_sent_order_shows_as_awaiting_results(
    worker_that_gives_up: None, platform: Platform, publish_event: Publish
) -> None:
    fake_lab(platform).result_delay_seconds = 3600
    await _queued_order(platform, publish_event)

    async def sent() -> Scrape | None:
        scrape = await platform.scrape("lab")
        return scrape if _depth(scrape, "awaiting_results") == 1 else None

    scrape = await eventually(sent)
    assert (_depth(scrape, "pending"), _depth(scrape, "failed")) == (0, 0)


@pytest.fixture
def worker_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_LAB_EXCHANGE_WORKER", "true")


async def test_a_send_retried_after_refusals_keeps_the_time_the_order_was_queued(
    worker_on: None, platform: Platform, publish_event: Publish
) -> None:
    lab = fake_lab(platform)
    lab.fail_next_sends, lab.result_delay_seconds = 2, 3600
    order = await _queued_order(platform, publish_event)
    queued_at = (await get_order(platform, order["id"]))["exchange"]["queued_at"]

    async def delivered() -> dict | None:
        current = await get_order(platform, order["id"])
        return current if current["exchange"]["state"] == "sent" else None

    sent = await eventually(delivered)
    assert sent["exchange"]["attempts"] == 3
    assert sent["exchange"]["queued_at"] == queued_at
