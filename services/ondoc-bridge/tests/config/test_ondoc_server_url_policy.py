"""The ONDOC server URL and the outbound address policy (clinic_shared.outbound): an administrator
cannot point the bridge at loopback, link-local or private addresses unless the operator allows
private targets."""

from __future__ import annotations

from typing import Any

import pytest
from ondoc_testkit import ONDOC

from clinic_shared.testing.outbound import resolving_to
from clinic_shared.testing.platform import Platform

SETTINGS = f"{ONDOC}/settings"


async def server_url(platform: Platform) -> str | None:
    response = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    return response.json()["server_url"]  # type: ignore[no-any-return]


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000",
        "http://localhost:8000",
        "http://[::1]:8000",
        "http://169.254.169.254/latest",
        "http://10.1.2.3",
        "http://192.168.0.10:8090",
        "http://[::ffff:127.0.0.1]:8000",
    ],
)
async def test_a_server_url_on_a_loopback_link_local_or_private_address_is_refused_naming_the_field(
    platform: Platform, url: str
) -> None:
    before = await server_url(platform)
    response = await platform.client.put(
        SETTINGS, json={"server_url": url}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "server_url" and "outbound address policy" in error["message"]
    assert await server_url(platform) == before


async def test_a_server_url_whose_name_resolves_to_loopback_is_refused(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolving_to(monkeypatch, "127.0.0.1")
    response = await platform.client.put(
        SETTINGS, json={"server_url": "https://ondoc.example.test"}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 422, response.text
    assert "ondoc.example.test resolves to 127.0.0.1, a loopback address" in response.json()["errors"][0]["message"]


async def test_a_server_url_on_a_public_address_is_saved(platform: Platform, monkeypatch: pytest.MonkeyPatch) -> None:
    resolving_to(monkeypatch, "93.184.216.34")
    response = await platform.client.put(
        SETTINGS, json={"server_url": "https://ondoc.example.test"}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 200, response.text
    assert response.json()["server_url"] == "https://ondoc.example.test"


class TestWhenTheOperatorAllowsPrivateTargets:
    @pytest.fixture
    def settings_overrides(self, settings_overrides: dict[str, Any]) -> dict[str, Any]:
        return {**settings_overrides, "outbound_allow_private": True}

    @pytest.mark.parametrize("url", ["http://127.0.0.1:8090", "http://localhost:8090", "http://10.1.2.3"])
    async def test_a_private_server_url_is_saved(self, platform: Platform, url: str) -> None:
        response = await platform.client.put(
            SETTINGS, json={"server_url": url}, headers={**platform.admin_headers, "If-Match": "*"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["server_url"] == url

    async def test_the_cloud_metadata_address_is_refused_all_the_same(self, platform: Platform) -> None:
        response = await platform.client.put(
            SETTINGS, json={"server_url": "http://169.254.169.254"}, headers={**platform.admin_headers, "If-Match": "*"}
        )
        assert response.status_code == 422, response.text
        assert response.json()["errors"][0]["field"] == "server_url"
