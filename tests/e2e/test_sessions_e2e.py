"""`make up` as real processes, with two gateway processes: a session ended through one gateway
is refused by the other gateway and by every service within 5 s (GW-3).

The services are asked directly on their own ports, so each process's own verifier is shown to
have learnt of the revocation over RabbitMQ."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import httpx

from gateway.devcluster import free_port

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


async def statuses(cluster_ports: dict[str, int], second_gateway: str, headers: dict[str, str]) -> dict[str, int]:
    answers = {}
    async with httpx.AsyncClient(timeout=10) as client:
        for name, path in READS.items():
            answers[name] = (
                await client.get(f"http://127.0.0.1:{cluster_ports[name]}{path}", headers=headers)
            ).status_code
        answers["gateway-2"] = (await client.get(f"{second_gateway}/api/patients/cards", headers=headers)).status_code
    return answers


async def test_a_deactivated_users_token_is_refused_by_the_other_gateway_and_every_service(make_cluster: Any) -> None:
    cluster = await make_cluster(list(READS), gateway_ports=[free_port()])
    try:
        first, second = cluster.gateway_urls
        async with httpx.AsyncClient(base_url=first, timeout=30) as api:
            login = await api.post("/api/auth/token", data={"username": "admin", "password": cluster.admin_password})
            admin = {"Authorization": f"Bearer {login.json()['access_token']}"}
            suffix = uuid.uuid4().hex[:8]
            await api.post("/api/auth/roles", json={"name": f"r-{suffix}", "rights": RIGHTS}, headers=admin)
            user = await api.post(
                "/api/auth/users",
                json={"username": f"u-{suffix}", "password": PASSWORD, "roles": [f"r-{suffix}"]},
                headers=admin,
            )
            async with httpx.AsyncClient(base_url=second, timeout=30) as other:
                token = await other.post("/api/auth/token", data={"username": f"u-{suffix}", "password": PASSWORD})
            headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
            before = await statuses(cluster.ports, second, headers)
            deactivated = await api.patch(f"/api/auth/users/{user.json()['id']}", json={"active": False}, headers=admin)
            started = asyncio.get_running_loop().time()
            while True:
                after = await statuses(cluster.ports, second, headers)
                if set(after.values()) == {401} or asyncio.get_running_loop().time() - started > 5:
                    break
                await asyncio.sleep(0.1)
    finally:
        await asyncio.to_thread(cluster.stop)
    assert set(before.values()) == {200}, before
    assert deactivated.status_code == 200
    assert after == {name: 401 for name in [*READS, "gateway-2"]}
