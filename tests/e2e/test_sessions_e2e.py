"""`make up` as real processes, with two gateway processes: a session is ended through one
gateway and refused by both gateways and by every service within 5 s (GW-3), whatever ended it:
the user deactivated, deleted, given a new password, moved to a role without rights, or its
role emptied of rights.

The user logs in through the second gateway and the change is made through the first; the
services are asked directly on their own ports, so each process's own verifier is shown to have
learnt of the revocation over RabbitMQ. One cluster serves every case (a start costs ~25 s);
each case has a user and a role of its own."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from gateway.devcluster import Cluster, free_port

READS = {
    "patients": "/cards",
    "scheduling": "/doctors",
    "notifier": "/schedules",
    "ondoc": "/settings",
    "profexam": "/organizations",
    "lab": "/labs",
}
RIGHTS = ["patients.read", "scheduling.read", "notifier.read", "ondoc.read", "profexam.read", "lab.read"]
PASSWORD = "E2e-Session-Password-9"
WITHIN_SECONDS = 5.0
EVERYWHERE = [*READS, "gateway-1", "gateway-2"]


@pytest.fixture(scope="module")
def cluster(make_module_cluster: Callable[..., Cluster]) -> Cluster:
    return make_module_cluster(list(READS), gateway_ports=[free_port()])


async def statuses(cluster: Cluster, headers: dict[str, str]) -> dict[str, int]:
    """What each service (on its own port) and each gateway answers to `headers`."""
    answers = {}
    async with httpx.AsyncClient(timeout=10) as client:
        for name, path in READS.items():
            url = f"http://127.0.0.1:{cluster.ports[name]}{path}"
            answers[name] = (await client.get(url, headers=headers)).status_code
        for number, gateway in enumerate(cluster.gateway_urls, start=1):
            answers[f"gateway-{number}"] = (
                await client.get(f"{gateway}/api/patients/cards", headers=headers)
            ).status_code
    return answers


async def refused_everywhere(cluster: Cluster, headers: dict[str, str]) -> dict[str, int]:
    """Poll until every process answers 401 or `WITHIN_SECONDS` have passed; the last answers."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + WITHIN_SECONDS
    while True:
        answers = await statuses(cluster, headers)
        if set(answers.values()) == {401} or loop.time() > deadline:
            return answers
        await asyncio.sleep(0.1)


Change = Callable[[httpx.AsyncClient, dict[str, Any], dict[str, Any]], Awaitable[httpx.Response]]


async def deactivate(api: httpx.AsyncClient, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    return await api.patch(f"/api/auth/users/{user['id']}", json={"active": False})


async def delete(api: httpx.AsyncClient, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    return await api.delete(f"/api/auth/users/{user['id']}")


async def new_password(api: httpx.AsyncClient, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    return await api.patch(f"/api/auth/users/{user['id']}", json={"password": "Another-Long-Secret-42"})


async def role_without_rights(api: httpx.AsyncClient, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    empty = await api.post("/api/auth/roles", json={"name": f"empty-{uuid.uuid4().hex[:6]}", "rights": []})
    assert empty.status_code == 201, empty.text
    return await api.patch(f"/api/auth/users/{user['id']}", json={"roles": [empty.json()["name"]]})


async def role_emptied(api: httpx.AsyncClient, user: dict[str, Any], role: dict[str, Any]) -> httpx.Response:
    return await api.patch(f"/api/auth/roles/{role['id']}", json={"rights": []})


@pytest.mark.parametrize(
    "change", [deactivate, delete, new_password, role_without_rights, role_emptied], ids=lambda c: c.__name__
)
async def test_a_token_is_refused_by_both_gateways_and_every_service_within_seconds_of_the_change(
    cluster: Cluster, change: Change
) -> None:
    first, second = cluster.gateway_urls
    async with httpx.AsyncClient(base_url=first, timeout=30) as api:
        login = await api.post("/api/auth/token", data={"username": "admin", "password": cluster.admin_password})
        assert login.status_code == 200, login.text
        api.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
        suffix = uuid.uuid4().hex[:8]
        role = await api.post("/api/auth/roles", json={"name": f"r-{suffix}", "rights": RIGHTS})
        user = await api.post(
            "/api/auth/users", json={"username": f"u-{suffix}", "password": PASSWORD, "roles": [f"r-{suffix}"]}
        )
        assert role.status_code == user.status_code == 201, (role.text, user.text)
        async with httpx.AsyncClient(base_url=second, timeout=30) as other:
            token = await other.post("/api/auth/token", data={"username": f"u-{suffix}", "password": PASSWORD})
        assert token.status_code == 200, token.text
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        before = await statuses(cluster, headers)
        changed = await change(api, user.json(), role.json())
    after = await refused_everywhere(cluster, headers)
    assert before == {name: 200 for name in EVERYWHERE}
    assert changed.status_code in (200, 204), changed.text
    assert after == {name: 401 for name in EVERYWHERE}
