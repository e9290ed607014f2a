"""The in-process fake ONDOC behind the gateway (embedded mode): its control endpoints, which send
signed callbacks, and its docs need a staff token with `ondoc.settings`; ONDOC's own API keeps
ONDOC's tokens; the standalone fake stays open for the tests and developers that drive it."""

from __future__ import annotations

import httpx
import pytest
from ondoc_testkit import FAKE

from clinic_shared.testing.platform import Platform
from ondoc_bridge.fake_ondoc import create_fake_app

MOUNT = "/api/ondoc/fake-ondoc"
COMPANY = {"Authorization": "Bearer fake-company-token"}
CONTROL_CALLS = [
    ("GET", f"{FAKE}/state"),
    ("POST", f"{FAKE}/attach"),
    ("POST", f"{FAKE}/reset"),
    ("POST", f"{FAKE}/config"),
    ("GET", f"{MOUNT}/docs"),
    ("GET", f"{MOUNT}/openapi.json"),
]


@pytest.fixture
def platform_services() -> list[str]:
    return ["ondoc"]


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
async def test_the_fake_control_endpoints_refuse_a_caller_without_a_token(
    platform: Platform, method: str, path: str
) -> None:
    response = await platform.client.request(method, path, json={"code": "123456789"})
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_the_fake_control_endpoints_refuse_a_malformed_token(platform: Platform) -> None:
    response = await platform.client.get(f"{FAKE}/state", headers={"Authorization": "Bearer not.a.jwt"})
    assert response.status_code == 401


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
async def test_the_fake_control_endpoints_refuse_staff_without_the_ondoc_settings_right(
    platform: Platform, method: str, path: str
) -> None:
    headers = await platform.headers_with(["ondoc.read", "ondoc.attach", "ondoc.sync"])
    response = await platform.client.request(method, path, json={"code": "123456789"}, headers=headers)
    assert response.status_code == 403, response.text
    assert response.json()["missing_right"] == "ondoc.settings"


async def test_staff_with_the_ondoc_settings_right_drive_the_fake(platform: Platform) -> None:
    headers = await platform.headers_with(["ondoc.settings"])
    state = await platform.client.get(f"{FAKE}/state", headers=headers)
    docs = await platform.client.get(f"{MOUNT}/openapi.json", headers=headers)
    assert (state.status_code, docs.status_code) == (200, 200)
    assert "appointments" in state.json()


def bridge_client(platform: Platform) -> httpx.AsyncClient:
    """The bridge's app itself, not through the gateway (as in distributed mode on its own port)."""
    transport = httpx.ASGITransport(app=platform.app.state.embedded_apps["ondoc"])
    return httpx.AsyncClient(transport=transport, base_url="http://ondoc")


async def test_the_bridge_itself_refuses_the_control_endpoints_without_a_staff_token(platform: Platform) -> None:
    async with bridge_client(platform) as bridge:
        without = await bridge.get("/fake-ondoc/_control/state")
        with_ondocs_token = await bridge.post(
            "/fake-ondoc/_control/attach", json={"code": "123456789"}, headers=COMPANY
        )
        with_staff_token = await bridge.get("/fake-ondoc/_control/state", headers=platform.admin_headers)
    assert (without.status_code, with_ondocs_token.status_code, with_staff_token.status_code) == (401, 401, 200)


async def test_ondocs_own_api_in_the_fake_keeps_ondocs_tokens(platform: Platform) -> None:
    async with bridge_client(platform) as bridge:
        without = await bridge.get("/fake-ondoc/api/v1/directories/doctors")
        with_company_token = await bridge.get("/fake-ondoc/api/v1/directories/doctors", headers=COMPANY)
    assert without.status_code == 401 and without.json()["error"]["code"] == "unauthorized"
    assert with_company_token.status_code == 404  # nothing uploaded yet: ONDOC's answer, not a refusal


async def test_the_standalone_fake_keeps_its_control_endpoints_open() -> None:
    transport = httpx.ASGITransport(app=create_fake_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://fake-ondoc") as client:
        response = await client.get("/_control/state")
    assert response.status_code == 200
