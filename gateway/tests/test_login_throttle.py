"""The login throttle's address count: what forgives it and how large it is (GW-3)."""

from __future__ import annotations

from typing import Any

import httpx

from gateway.ratelimit import LoginThrottle

ADMIN_PASSWORD = "admin-test-password"


async def login(client: httpx.AsyncClient, username: str, password: str) -> int:
    return (await client.post("/api/auth/token", data={"username": username, "password": password})).status_code


async def test_a_successful_login_does_not_wipe_the_address_count(gateway_factory: Any) -> None:
    """Else anyone with an account of their own could guess without end, logging in between guesses."""
    async with gateway_factory(login_max_failures=3, login_max_failures_per_address=3) as client:
        for guess in range(3):
            await login(client, f"someone-{guess}", "guess")
            await login(client, "admin", ADMIN_PASSWORD)
        status = await login(client, "someone-else", "guess")
    assert status == 429


async def test_a_successful_login_forgives_the_users_own_failures(gateway_factory: Any) -> None:
    async with gateway_factory(login_max_failures=3) as client:
        statuses = [await login(client, "admin", "typo") for _ in range(2)]
        statuses.append(await login(client, "admin", ADMIN_PASSWORD))
        statuses += [await login(client, "admin", "typo") for _ in range(2)]
    assert statuses == [401, 401, 200, 401, 401]


def test_an_address_may_fail_more_often_than_one_user_by_default() -> None:
    """A whole front desk may share one NAT address; a single username is held tighter."""
    throttle = LoginThrottle(max_failures=2, window_seconds=60)
    for _ in range(2):
        throttle.failed("user:anna", "ip:10.0.0.1")
    assert throttle.retry_after("user:anna") > 0
    assert throttle.retry_after("user:boris", "ip:10.0.0.1") == 0
