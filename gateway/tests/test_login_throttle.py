"""Login throttling (GW-3): per username and address, per address, shared by every replica.

The limits must stop guessing without letting anyone lock the admin out: failures count for
the address they come from, the wait doubles with each failure, and an administrator can
forgive a user's failures.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from asgi_lifespan import LifespanManager
from pydantic import SecretStr

from gateway.app import create_app
from gateway.ratelimit import LoginThrottle
from gateway.settings import GatewaySettings

ADMIN_PASSWORD = "admin-test-password"
ATTACKER = ("203.0.113.66", 40000)
CLINIC = ("198.51.100.10", 40000)


async def login(client: httpx.AsyncClient, username: str, password: str) -> httpx.Response:
    return await client.post("/api/auth/token", data={"username": username, "password": password})


@asynccontextmanager
async def gateway_at(
    settings_overrides: dict[str, Any], jwt_keys: tuple[str, str], *addresses: tuple[str, int], **settings: Any
) -> AsyncIterator[list[httpx.AsyncClient]]:
    """One gateway (its own app, on the test's database) with a client per caller address."""
    app = create_app(
        GatewaySettings(
            **{**settings_overrides, **settings},
            jwt_private_key=SecretStr(jwt_keys[0]),
            admin_password=SecretStr(ADMIN_PASSWORD),
            password_hash_time_cost=1,
            password_hash_memory_kib=64,
        ),
        embedded_apps={},
    )
    async with LifespanManager(app):
        clients = [
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app, client=address), base_url="http://testserver")
            for address in addresses
        ]
        try:
            yield clients
        finally:
            for client in clients:
                await client.aclose()


async def test_a_successful_login_does_not_wipe_the_address_count(gateway_factory: Any) -> None:
    """Else anyone with an account of their own could guess without end, logging in between guesses."""
    async with gateway_factory(login_max_failures=3, login_max_failures_per_address=3) as client:
        for guess in range(3):
            await login(client, f"someone-{guess}", "guess")
            await login(client, "admin", ADMIN_PASSWORD)
        status = (await login(client, "someone-else", "guess")).status_code
    assert status == 429


async def test_a_successful_login_forgives_the_users_own_failures(gateway_factory: Any) -> None:
    async with gateway_factory(login_max_failures=3) as client:
        statuses = [(await login(client, "admin", "typo")).status_code for _ in range(2)]
        statuses.append((await login(client, "admin", ADMIN_PASSWORD)).status_code)
        statuses += [(await login(client, "admin", "typo")).status_code for _ in range(2)]
    assert statuses == [401, 401, 200, 401, 401]


async def test_failures_from_another_address_do_not_hold_the_admin_back(
    settings_overrides: dict[str, Any], jwt_keys: tuple[str, str]
) -> None:
    async with gateway_at(settings_overrides, jwt_keys, ATTACKER, CLINIC, login_max_failures=5) as (attacker, clinic):
        attempts = [(await login(attacker, "admin", f"guess-{n}")).status_code for n in range(7)]
        admin = await login(clinic, "admin", ADMIN_PASSWORD)
    assert attempts[:5] == [401] * 5 and 429 in attempts[5:]
    assert admin.status_code == 200


async def test_the_throttle_holds_across_gateway_replicas(
    settings_overrides: dict[str, Any], jwt_keys: tuple[str, str]
) -> None:
    """Two gateway processes on one database: failures counted by one hold back the other."""
    async with (
        gateway_at(settings_overrides, jwt_keys, ATTACKER, login_max_failures=3) as (first,),
        gateway_at(settings_overrides, jwt_keys, ATTACKER, login_max_failures=3, run_migrations=False) as (second,),
    ):
        for n in range(3):
            await login(first, "admin", f"guess-{n}")
        response = await login(second, "admin", ADMIN_PASSWORD)
    assert response.status_code == 429
    assert int(response.headers["retry-after"]) >= 1


async def test_an_administrator_can_forgive_a_users_failed_logins(
    settings_overrides: dict[str, Any], jwt_keys: tuple[str, str]
) -> None:
    async with gateway_at(settings_overrides, jwt_keys, ATTACKER, CLINIC, login_max_failures=3) as (attacker, clinic):
        admin = {"Authorization": f"Bearer {(await login(clinic, 'admin', ADMIN_PASSWORD)).json()['access_token']}"}
        user = (
            await clinic.post(
                "/api/auth/users",
                json={"username": "anna", "password": "Tr0ub4dor&3-horse", "roles": ["receptionist"]},
                headers=admin,
            )
        ).json()
        for n in range(3):
            await login(attacker, "anna", f"guess-{n}")
        held = await login(attacker, "anna", "Tr0ub4dor&3-horse")
        unlocked = await clinic.post(f"/api/auth/users/{user['id']}/unlock", headers=admin)
        after = await login(attacker, "anna", "Tr0ub4dor&3-horse")
        entries = (await clinic.get("/api/auth/audit", params={"action": "login.unlocked"}, headers=admin)).json()
    assert (held.status_code, unlocked.status_code, after.status_code) == (429, 204, 200)
    assert [e["target_name"] for e in entries["items"]] == ["anna"]


def test_the_wait_doubles_with_each_failure_past_the_limit_up_to_the_cap() -> None:
    throttle = LoginThrottle(max_failures=5, window_seconds=300, max_delay_seconds=60)
    assert [throttle.delay(n, 5) for n in range(3, 13)] == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]


def test_an_address_may_fail_more_often_than_one_user_by_default() -> None:
    """A whole front desk may share one NAT address; a single username is held tighter."""
    throttle = LoginThrottle(max_failures=2, window_seconds=60)
    per_user, per_address = throttle.keys("anna", "10.0.0.1")
    assert (per_user.limit, per_address.limit) == (2, 8)
