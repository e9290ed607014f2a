"""The public online-booking API is rate limited per client and per key (SCH-13, GW-1): one key
on a website cannot be used to flood the clinic with bookings."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from security_builders import widget_key

from clinic_shared.testing.platform import Platform


@pytest.fixture
def settings_overrides(settings_overrides: dict[str, Any]) -> dict[str, Any]:
    return {
        **settings_overrides,
        "public_requests_per_minute": 5,
        "public_bookings_per_hour": 2,
        "public_key_requests_per_minute": 8,
    }


def visitor(platform: Platform, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=platform.app, client=(address, 50000))
    return httpx.AsyncClient(transport=transport, base_url="http://testserver")


async def test_one_client_gets_429_past_its_requests_per_minute(platform: Platform) -> None:
    key = {"X-Api-Key": await widget_key(platform)}
    async with visitor(platform, "198.51.100.1") as client:
        statuses = [(await client.get("/api/scheduling/online/doctors", headers=key)).status_code for _ in range(6)]
        refused = await client.get("/api/scheduling/online/doctors", headers=key)
    assert statuses == [200] * 5 + [429]
    assert 0 < int(refused.headers["retry-after"]) <= 60


async def test_bookings_from_one_client_are_limited_tighter(platform: Platform) -> None:
    key = {"X-Api-Key": await widget_key(platform)}
    async with visitor(platform, "198.51.100.2") as client:
        statuses = [
            (await client.post("/api/scheduling/online/appointments", json={}, headers=key)).status_code
            for _ in range(3)
        ]
    assert statuses[:2] == [422, 422]  # counted although refused: guessing costs as much as booking
    assert statuses[2] == 429


async def test_one_key_from_many_clients_is_limited_as_a_whole(platform: Platform) -> None:
    key = {"X-Api-Key": await widget_key(platform)}
    statuses = []
    for n in range(9):
        async with visitor(platform, f"203.0.113.{n + 1}") as client:
            statuses.append((await client.get("/api/scheduling/online/services", headers=key)).status_code)
    assert statuses == [200] * 8 + [429]


async def test_another_client_is_not_held_back_by_one_that_is(platform: Platform) -> None:
    key = {"X-Api-Key": await widget_key(platform)}
    async with visitor(platform, "198.51.100.3") as noisy, visitor(platform, "198.51.100.4") as quiet:
        for _ in range(6):
            await noisy.get("/api/scheduling/online/doctors", headers=key)
        response = await quiet.get("/api/scheduling/online/doctors", headers=key)
    assert response.status_code == 200
