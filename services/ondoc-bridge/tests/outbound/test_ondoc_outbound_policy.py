"""Calls to ONDOC go through the outbound address policy right before each connection: a server
name that resolves to a refused address by then (DNS rebinding: it resolved to a public address
when it was saved) fails the item with the policy's reason, and no connection is made."""

from __future__ import annotations

from typing import Any

import pytest
from ondoc_testkit import (
    ONDOC,
    Publish,
    appointment_event,
    appointment_state,
    attach_patient,
    needs_scheduling,
    wait_until,
)
from sqlalchemy import text

from clinic_shared.testing.outbound import Listener, resolving_to
from clinic_shared.testing.platform import Platform


async def point_ondoc_at(platform: Platform, url: str) -> None:
    response = await platform.client.put(
        f"{ONDOC}/settings", json={"server_url": url}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 200, response.text


async def test_an_appointment_sent_to_a_server_resolving_to_loopback_fails_without_a_connection(
    platform: Platform, publish: Publish, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    card, _ = await attach_patient(platform)
    resolving_to(monkeypatch, "93.184.216.34")
    await point_ondoc_at(platform, f"http://ondoc-rebinding.example.test:{listener.port}")
    resolving_to(monkeypatch, "127.0.0.1")

    await publish(appointment_event("appointment.created", appointment_state(card["id"]), 1))

    failed: list[dict[str, Any]] = []

    async def recorded_as_failed() -> bool:
        response = await platform.client.get(
            f"{ONDOC}/outbound", params={"status": "failed"}, headers=platform.admin_headers
        )
        failed[:] = response.json()["items"]
        return bool(failed)

    await wait_until(recorded_as_failed, what="the item recorded as failed")
    [item] = failed
    assert "outbound address policy" in item["last_error"] and "127.0.0.1, a loopback address" in item["last_error"]
    assert listener.connections == 0


async def test_a_server_url_saved_before_the_policy_fails_the_item_with_the_reason(
    platform: Platform, publish: Publish, listener: Listener
) -> None:
    card, _ = await attach_patient(platform)
    runtime = platform.app.state.embedded_apps["ondoc"].state.runtime
    async with runtime.db.engine.begin() as connection:  # a row written before the policy existed
        url = f"http://127.0.0.1:{listener.port}"
        await connection.execute(text("UPDATE ondoc_config SET server_url = :url"), {"url": url})

    await publish(appointment_event("appointment.created", appointment_state(card["id"]), 1))

    async def recorded_as_failed() -> bool:
        response = await platform.client.get(
            f"{ONDOC}/outbound", params={"status": "failed"}, headers=platform.admin_headers
        )
        items = response.json()["items"]
        return bool(items) and "127.0.0.1, a loopback address" in items[0]["last_error"]

    await wait_until(recorded_as_failed, what="the item recorded as failed with the policy's reason")
    assert listener.connections == 0


class TestSyncNow:
    @pytest.fixture
    def platform_services(self) -> list[str]:
        return ["scheduling", "ondoc"]

    @needs_scheduling
    async def test_a_sync_to_a_server_resolving_to_loopback_answers_502_with_the_reason_and_no_connection(
        self, platform: Platform, listener: Listener, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        resolving_to(monkeypatch, "93.184.216.34")
        await point_ondoc_at(platform, f"http://ondoc-rebinding.example.test:{listener.port}")
        resolving_to(monkeypatch, "127.0.0.1")

        response = await platform.client.post(f"{ONDOC}/sync", headers=platform.admin_headers)

        assert response.status_code == 502, response.text
        uploads = (await platform.client.get(f"{ONDOC}/sync", headers=platform.admin_headers)).json()["items"]
        assert {item["status"] for item in uploads} == {"failed"}
        assert all("127.0.0.1, a loopback address" in item["last_error"] for item in uploads)
        assert listener.connections == 0
