"""The outbound queue to ONDOC on the bridge's /metrics and in /outbound (issue #5
observability): depth per state and how long the oldest pending change has waited."""

from __future__ import annotations

from typing import Any

from ondoc_testkit import FAKE, ONDOC, Publish, appointment_event, appointment_state, attach_patient, wait_until

from clinic_shared.testing.platform import Platform, Scrape


def _depth(scrape: Scrape, state: str) -> float | None:
    return scrape.value("outbound_queue_depth", service="ondoc", target="ondoc", state=state)


def _age(scrape: Scrape) -> float | None:
    return scrape.value("outbound_oldest_pending_age_seconds", service="ondoc", target="ondoc")


async def _pending_items(platform: Platform) -> list[dict[str, Any]]:
    response = await platform.client.get(
        f"{ONDOC}/outbound", params={"status": "pending"}, headers=platform.admin_headers
    )
    return response.json()["items"]


async def _retried(platform: Platform, attempts: int) -> dict[str, Any]:
    """The pending item once it has failed `attempts` times."""
    found: dict[str, Any] = {}

    async def check() -> bool:
        items = await _pending_items(platform)
        if items and items[0]["attempts"] >= attempts:
            found.update(items[0])
            return True
        return False

    await wait_until(check, what=f"{attempts} failed attempts")
    return found


async def test_an_empty_queue_shows_zero_pending_and_failed(platform: Platform) -> None:
    scrape = await platform.scrape("ondoc")

    assert (_depth(scrape, "pending"), _depth(scrape, "failed"), _age(scrape)) == (0, 0, 0)


async def test_a_change_waiting_while_ondoc_is_down_shows_as_pending_with_its_age(
    platform: Platform, publish: Publish
) -> None:
    card, _ = await attach_patient(platform)
    await platform.client.post(f"{FAKE}/fail", json={"mode": "error", "seconds": 60}, headers=platform.admin_headers)
    await publish(appointment_event("appointment.created", appointment_state(card["id"]), 1))
    await _retried(platform, 1)

    scrape = await platform.scrape("ondoc")

    assert (_depth(scrape, "pending"), _depth(scrape, "failed")) == (1, 0)
    assert _age(scrape) > 0


async def test_a_change_ondoc_refused_shows_as_failed_and_no_longer_pending(
    platform: Platform, publish: Publish
) -> None:
    card, _ = await attach_patient(platform)
    await platform.client.post(
        f"{FAKE}/config", json={"branch_token": "rotated-by-ondoc"}, headers=platform.admin_headers
    )
    await publish(appointment_event("appointment.created", appointment_state(card["id"]), 1))

    async def failed() -> bool:
        return _depth(await platform.scrape("ondoc"), "failed") == 1

    await wait_until(failed, what="the refused item counted as failed")
    scrape = await platform.scrape("ondoc")
    assert (_depth(scrape, "pending"), _age(scrape)) == (0, 0)


async def test_retries_keep_the_time_a_change_was_queued_and_the_summary_reports_it(
    platform: Platform, publish: Publish
) -> None:
    card, _ = await attach_patient(platform)
    await platform.client.post(f"{FAKE}/fail", json={"mode": "error", "seconds": 60}, headers=platform.admin_headers)
    await publish(appointment_event("appointment.created", appointment_state(card["id"]), 1))
    first = await _retried(platform, 1)

    later = await _retried(platform, first["attempts"] + 1)

    assert later["queued_at"] == first["queued_at"]
    assert later["updated_at"] > first["updated_at"]
    summary = (await platform.client.get(f"{ONDOC}/outbound/summary", headers=platform.admin_headers)).json()
    assert summary["oldest_pending_at"] == first["queued_at"]
