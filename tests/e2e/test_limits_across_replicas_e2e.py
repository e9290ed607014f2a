"""Login throttling and the public widget API's rate limits hold across gateway replicas: the
counts live in the gateway's PostgreSQL schema (gateway.ratelimit), so a client spreading its
requests over two gateway processes behind a load balancer gets no more than from one."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import httpx
import pytest
from e2e_flows import admin_headers, created

from gateway.devcluster import Cluster, free_port

MAX_FAILURES = 3
REQUESTS_PER_MINUTE = 4


@pytest.fixture(scope="module")
def cluster(make_module_cluster: Callable[..., Cluster]) -> Cluster:
    limits = {
        "CLINIC_LOGIN_MAX_FAILURES": str(MAX_FAILURES),
        "CLINIC_PUBLIC_REQUESTS_PER_MINUTE": str(REQUESTS_PER_MINUTE),
    }
    return make_module_cluster(["scheduling"], limits, gateway_ports=[free_port()])


async def login_status(gateway: str, username: str, password: str) -> int:
    async with httpx.AsyncClient(base_url=gateway, timeout=30) as client:
        response = await client.post("/api/auth/token", data={"username": username, "password": password})
    return response.status_code


async def test_failed_logins_through_two_gateways_add_up_to_one_throttle(cluster: Cluster) -> None:
    first, second = cluster.gateway_urls
    username = f"nobody-{uuid.uuid4().hex[:6]}"
    failures = [await login_status((first, second)[n % 2], username, "guess") for n in range(MAX_FAILURES)]
    # The next try waits, through either gateway: the other one counted the failures too.
    assert failures == [401] * MAX_FAILURES
    assert await login_status(first, username, "guess") == 429
    assert await login_status(second, username, "guess") == 429


async def test_widget_requests_through_two_gateways_share_one_limit(cluster: Cluster) -> None:
    first, second = cluster.gateway_urls
    async with httpx.AsyncClient(base_url=first, headers=admin_headers(cluster), timeout=30) as admin:
        label = {"label": f"site-{uuid.uuid4().hex[:6]}"}
        key = {"X-Api-Key": created(await admin.post("/api/scheduling/online/api-keys", json=label))["key"]}
    statuses = []
    for n in range(REQUESTS_PER_MINUTE + 1):
        async with httpx.AsyncClient(base_url=(first, second)[n % 2], timeout=30) as visitor:
            statuses.append((await visitor.get("/api/scheduling/online/doctors", headers=key)).status_code)
    assert statuses == [200] * REQUESTS_PER_MINUTE + [429]
