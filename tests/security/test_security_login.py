"""Login brute force is throttled per address as well as per username (GW-3).

gateway/tests/test_routing.py shows one username being throttled; these tests cover guessing
across many usernames (password spraying) from one address.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator

import httpx
import pytest
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from gateway.app import create_app
from gateway.settings import GatewaySettings

ADMIN_PASSWORD = "admin-login-test-password"
MAX_FAILURES = 3  # per address (each guess here is for a different username)


@pytest.fixture
async def strict_gateway(settings_overrides: dict, jwt_keys: tuple[str, str]) -> AsyncIterator[httpx.AsyncClient]:
    """The gateway alone, with the throttle at a small limit."""
    settings = GatewaySettings(
        **settings_overrides,
        jwt_private_key=SecretStr(jwt_keys[0]),
        admin_password=SecretStr(ADMIN_PASSWORD),
        login_max_failures=MAX_FAILURES,
        login_max_failures_per_address=MAX_FAILURES,
        password_hash_time_cost=1,
        password_hash_memory_kib=64,
    )
    app = create_app(settings, embedded_apps={})
    async with LifespanManager(app):
        transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 40000))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            yield client


async def login(client: httpx.AsyncClient, username: str, password: str, **headers: str) -> int:
    response = await client.post("/api/auth/token", data={"username": username, "password": password}, headers=headers)
    return response.status_code


async def test_guessing_across_many_usernames_from_one_address_is_throttled(strict_gateway: httpx.AsyncClient) -> None:
    statuses = [await login(strict_gateway, f"user-{uuid.uuid4().hex[:6]}", "guess") for _ in range(MAX_FAILURES)]
    statuses.append(await login(strict_gateway, "admin", ADMIN_PASSWORD))
    assert statuses == [401] * MAX_FAILURES + [429]


async def test_a_forged_forwarded_for_header_does_not_reset_the_address_count(
    strict_gateway: httpx.AsyncClient,
) -> None:
    for _ in range(MAX_FAILURES):
        await login(strict_gateway, f"user-{uuid.uuid4().hex[:6]}", "guess")
    status = await login(strict_gateway, "someone", "guess", **{"X-Forwarded-For": "198.51.100.1"})
    assert status == 429
