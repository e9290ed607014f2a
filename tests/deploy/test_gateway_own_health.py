"""The gateway's own `/health` (its Kubernetes readiness probe) does not depend on the services."""

from __future__ import annotations

import httpx
import pytest

from clinic_shared.testing.platform import Platform


@pytest.fixture
def platform_services() -> list[str]:
    return ["patients"]


async def test_the_gateway_health_answers_for_the_gateway_alone(platform: Platform) -> None:
    response = await platform.client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "service": "gateway"}


async def test_the_gateway_health_stays_green_when_a_service_is_unreachable(platform: Platform) -> None:
    clients = platform.app.state.gateway.clients
    original = clients["patients"]
    clients["patients"] = httpx.AsyncClient(base_url="http://127.0.0.1:9", timeout=1)  # nothing listens there
    try:
        whole = await platform.client.get("/api/health")
        own = await platform.client.get("/health")
    finally:
        await clients["patients"].aclose()
        clients["patients"] = original
    assert whole.status_code == 503 and whole.json()["services"]["patients"] == "unavailable"
    assert own.status_code == 200
