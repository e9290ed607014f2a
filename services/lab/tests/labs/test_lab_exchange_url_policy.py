"""A laboratory's exchange URL and the outbound address policy (clinic_shared.outbound): no
loopback, link-local or private address unless the operator allows private targets, checked when
the lab is saved and again right before every call to it."""

from __future__ import annotations

from typing import Any

import pytest
from lab_builders import API, eventually, get_order, make_lab, make_order, make_patient, make_test

from clinic_shared.testing.outbound import Listener, resolving_to
from clinic_shared.testing.platform import Platform

REFUSED = [
    "http://127.0.0.1:8091/",
    "http://localhost:8091/",
    "http://[::1]:8091/",
    "http://169.254.169.254/",
    "http://10.0.0.7/",
    "http://172.16.5.4/",
    "http://[fd00::5]/",
]


@pytest.mark.parametrize("url", REFUSED)
async def test_a_lab_with_a_loopback_link_local_or_private_exchange_url_is_refused_naming_the_field(
    platform: Platform, url: str
) -> None:
    response = await platform.client.post(
        f"{API}/labs",
        json={"name": "Лаборатория", "code": "LOCAL", "exchange_url": url},
        headers=platform.admin_headers,
    )
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == "exchange_url" and "outbound address policy" in error["message"]
    listed = await platform.client.get(f"{API}/labs", headers=platform.admin_headers)
    assert listed.json()["items"] == []


async def test_changing_the_exchange_url_to_a_private_address_is_refused(platform: Platform) -> None:
    lab = await make_lab(platform)
    response = await platform.client.patch(
        f"{API}/labs/{lab['id']}", json={"exchange_url": "http://192.168.1.20/"}, headers=platform.admin_headers
    )
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["field"] == "exchange_url"
    kept = await platform.client.get(f"{API}/labs/{lab['id']}", headers=platform.admin_headers)
    assert kept.json()["exchange_url"] is None


async def test_an_exchange_url_whose_name_resolves_to_loopback_is_refused(
    platform: Platform, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolving_to(monkeypatch, "127.0.0.1")
    response = await platform.client.post(
        f"{API}/labs",
        json={"name": "Лаборатория", "code": "DNS", "exchange_url": "https://lab.example.test/"},
        headers=platform.admin_headers,
    )
    assert response.status_code == 422, response.text
    assert "lab.example.test resolves to 127.0.0.1" in response.json()["errors"][0]["message"]


@pytest.fixture
def two_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_LAB_EXCHANGE_MAX_ATTEMPTS", "2")


@pytest.mark.usefixtures("exchange_worker_on", "two_attempts")
async def test_an_order_for_a_lab_whose_name_now_resolves_to_loopback_fails_without_a_connection(
    platform: Platform, publish_event: Any, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolving_to(monkeypatch, "93.184.216.34")  # public when the lab is saved …
    lab = await make_lab(platform, exchange_url=f"http://lab-rebinding.example.test:{listener.port}/")
    resolving_to(monkeypatch, "127.0.0.1")  # … loopback when the worker connects (DNS rebinding)
    patient = await make_patient(platform, publish_event)
    test = await make_test(platform, lab["id"])
    order = await make_order(platform, patient["id"], lab["id"], [test["id"]])
    sent = await platform.client.post(f"{API}/orders/{order['id']}/send", headers=platform.admin_headers)
    assert sent.status_code == 202, sent.text

    async def failed() -> dict[str, Any] | None:
        current = await get_order(platform, order["id"])
        return current if current["exchange"]["state"] == "failed" else None

    current = await eventually(failed)
    assert "outbound address policy" in current["exchange"]["last_error"]
    assert "127.0.0.1, a loopback address" in current["exchange"]["last_error"]
    assert listener.connections == 0


class TestWhenTheOperatorAllowsPrivateTargets:
    @pytest.fixture
    def settings_overrides(self, settings_overrides: dict[str, Any]) -> dict[str, Any]:
        return {**settings_overrides, "outbound_allow_private": True}

    @pytest.mark.parametrize("url", ["http://127.0.0.1:8091/", "http://10.0.0.7/"])
    async def test_a_lab_on_the_local_network_is_saved(self, platform: Platform, url: str) -> None:
        lab = await make_lab(platform, exchange_url=url)
        assert lab["exchange_url"] == url

    async def test_the_cloud_metadata_address_is_refused_all_the_same(self, platform: Platform) -> None:
        response = await platform.client.post(
            f"{API}/labs",
            json={"name": "Лаборатория", "code": "META", "exchange_url": "http://169.254.169.254/"},
            headers=platform.admin_headers,
        )
        assert response.status_code == 422
