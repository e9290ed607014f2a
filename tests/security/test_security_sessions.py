"""Sessions end everywhere at once (GW-3): a token stops working on every service within
seconds of its user being deactivated, deleted, given a new password or stripped of rights,
of its role being emptied, of a logout or of "log out everywhere".

Each service is asked directly, not through the gateway, so what is shown is that every
service's own verifier learnt of the revocation (over the in-process bus in embedded mode,
over RabbitMQ's broadcast exchange with CLINIC_AMQP_URL set).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from clinic_shared.testing.platform import Platform

# A read each service answers for a user holding the rights below (service → path).
READS = {
    "patients": "/cards",
    "scheduling": "/doctors",
    "notifier": "/schedules",
    "ondoc": "/settings",
    "profexam": "/organizations",
    "lab": "/labs",
}
RIGHTS = ["patients.read", "scheduling.read", "notifier.read", "ondoc.read", "profexam.read", "lab.read"]
PASSWORD = "Correct-Horse-Battery-7"
WITHIN_SECONDS = 5.0


@pytest.fixture
def settings_overrides(settings_overrides: dict[str, Any]) -> dict[str, Any]:
    return {**settings_overrides, "refresh_reuse_grace_seconds": 0}


async def make_user(platform: Platform, rights: list[str] = RIGHTS) -> tuple[dict[str, Any], dict[str, Any]]:
    """A user in a role of its own: (the user, the role)."""
    suffix = uuid.uuid4().hex[:8]
    role = await platform.client.post(
        "/api/auth/roles", json={"name": f"role-{suffix}", "rights": rights}, headers=platform.admin_headers
    )
    user = await platform.client.post(
        "/api/auth/users",
        json={"username": f"user-{suffix}", "password": PASSWORD, "roles": [f"role-{suffix}"]},
        headers=platform.admin_headers,
    )
    assert role.status_code == user.status_code == 201, (role.text, user.text)
    return user.json(), role.json()


async def log_in(platform: Platform, username: str, password: str = PASSWORD) -> dict[str, Any]:
    response = await platform.client.post("/api/auth/token", data={"username": username, "password": password})
    platform.client.cookies.clear()
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def bearer(tokens: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


async def direct_statuses(platform: Platform, headers: dict[str, str]) -> dict[str, int]:
    """What each service itself answers to `headers` (not through the gateway)."""
    statuses = {}
    for name, path in READS.items():
        app = platform.app.state.embedded_apps[name]
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=f"http://{name}") as client:
            statuses[name] = (await client.get(path, headers=headers)).status_code
    statuses["gateway"] = (await platform.client.get("/api/patients/cards", headers=headers)).status_code
    return statuses


async def refused_everywhere(platform: Platform, headers: dict[str, str]) -> dict[str, int]:
    """Poll until every service answers 401 or the time is up; the last answers."""
    async with asyncio.timeout(WITHIN_SECONDS + 5):
        deadline = asyncio.get_running_loop().time() + WITHIN_SECONDS
        while True:
            statuses = await direct_statuses(platform, headers)
            if set(statuses.values()) == {401} or asyncio.get_running_loop().time() > deadline:
                return statuses
            await asyncio.sleep(0.1)


EVERYWHERE_401 = {name: 401 for name in [*READS, "gateway"]}


async def deactivate(platform: Platform, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    return await platform.client.patch(
        f"/api/auth/users/{user['id']}", json={"active": False}, headers=platform.admin_headers
    )


async def delete(platform: Platform, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    return await platform.client.delete(f"/api/auth/users/{user['id']}", headers=platform.admin_headers)


async def new_password(platform: Platform, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    return await platform.client.patch(
        f"/api/auth/users/{user['id']}", json={"password": "Another-Long-Secret-42"}, headers=platform.admin_headers
    )


async def role_without_rights(platform: Platform, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    empty = await platform.client.post(
        "/api/auth/roles", json={"name": f"empty-{uuid.uuid4().hex[:6]}", "rights": []}, headers=platform.admin_headers
    )
    return await platform.client.patch(
        f"/api/auth/users/{user['id']}", json={"roles": [empty.json()["name"]]}, headers=platform.admin_headers
    )


async def role_emptied(platform: Platform, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    return await platform.client.patch(
        f"/api/auth/roles/{role['id']}", json={"rights": []}, headers=platform.admin_headers
    )


async def logged_out_everywhere(platform: Platform, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    return await platform.client.post(f"/api/auth/users/{user['id']}/logout", headers=platform.admin_headers)


Change = Callable[[Platform, dict[str, Any], dict[str, Any]], Awaitable[httpx.Response]]


@pytest.mark.parametrize(
    "change",
    [deactivate, delete, new_password, role_without_rights, role_emptied, logged_out_everywhere],
    ids=lambda change: change.__name__,
)
async def test_a_token_is_refused_by_every_service_within_seconds_of_the_change(
    platform: Platform, change: Change
) -> None:
    user, role = await make_user(platform)
    headers = bearer(await log_in(platform, user["username"]))
    assert set((await direct_statuses(platform, headers)).values()) == {200}
    response = await change(platform, user, role)
    assert response.status_code in (200, 204), response.text
    assert await refused_everywhere(platform, headers) == EVERYWHERE_401


async def test_logout_ends_the_session_on_every_service_and_its_refresh_token(platform: Platform) -> None:
    user, _ = await make_user(platform)
    tokens = await log_in(platform, user["username"])
    response = await platform.client.post("/api/auth/logout", headers=bearer(tokens))
    assert response.status_code == 204
    assert await refused_everywhere(platform, bearer(tokens)) == EVERYWHERE_401
    refreshed = await platform.client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert refreshed.status_code == 401


async def test_logging_out_leaves_the_users_other_sessions_alone(platform: Platform) -> None:
    user, _ = await make_user(platform)
    first, second = await log_in(platform, user["username"]), await log_in(platform, user["username"])
    await platform.client.post("/api/auth/logout", headers=bearer(first))
    assert set((await direct_statuses(platform, bearer(second))).values()) == {200}


async def test_after_a_rights_change_a_refreshed_token_carries_the_new_rights(platform: Platform) -> None:
    user, role = await make_user(platform, ["patients.read"])
    tokens = await log_in(platform, user["username"])
    await platform.client.patch(
        f"/api/auth/roles/{role['id']}", json={"rights": ["patients.read", "lab.read"]}, headers=platform.admin_headers
    )
    stale = await platform.client.get("/api/lab/labs", headers=bearer(tokens))
    refreshed = await platform.client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    fresh = await platform.client.get("/api/lab/labs", headers=bearer(refreshed.json()))
    assert stale.status_code == 401 and "refresh" in stale.json()["detail"]
    assert (refreshed.status_code, fresh.status_code) == (200, 200)


async def test_a_refresh_token_works_once_and_its_reuse_ends_the_session(platform: Platform) -> None:
    user, _ = await make_user(platform)
    tokens = await log_in(platform, user["username"])
    rotated = await platform.client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert rotated.status_code == 200 and rotated.json()["refresh_token"] != tokens["refresh_token"]
    reused = await platform.client.post("/api/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert reused.status_code == 401
    assert await refused_everywhere(platform, bearer(rotated.json())) == EVERYWHERE_401
    after = await platform.client.post("/api/auth/refresh", json={"refresh_token": rotated.json()["refresh_token"]})
    assert after.status_code == 401


async def test_a_browser_refreshes_with_the_cookie_set_at_login(platform: Platform) -> None:
    user, _ = await make_user(platform)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=platform.app), base_url="http://testserver") as web:
        login = await web.post("/api/auth/token", data={"username": user["username"], "password": PASSWORD})
        cookie = login.headers["set-cookie"]
        refreshed = await web.post("/api/auth/refresh")
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/api/auth" in cookie
    assert refreshed.status_code == 200
    assert (await platform.client.get("/api/patients/cards", headers=bearer(refreshed.json()))).status_code == 200


async def test_the_audit_log_shows_who_ended_whose_sessions(platform: Platform) -> None:
    user, _ = await make_user(platform)
    await log_in(platform, user["username"])
    await platform.client.post(f"/api/auth/users/{user['id']}/logout", headers=platform.admin_headers)
    entries = await platform.client.get(
        "/api/auth/audit", params={"target_id": user["id"]}, headers=platform.admin_headers
    )
    actions = [(e["action"], e["actor_username"]) for e in entries.json()["items"]]
    assert ("sessions.ended", "admin") in actions
    assert ("login.succeeded", user["username"]) in actions
    assert ("user.created", "admin") in actions


async def test_an_admin_sees_a_users_live_sessions(platform: Platform) -> None:
    user, _ = await make_user(platform)
    await log_in(platform, user["username"])
    await log_in(platform, user["username"])
    sessions = await platform.client.get(f"/api/auth/users/{user['id']}/sessions", headers=platform.admin_headers)
    assert sessions.status_code == 200 and len(sessions.json()) == 2
