"""Provider addresses in the notifier settings and the outbound address policy (clinic_shared.outbound):
SMS provider URLs and the SMTP host may not be loopback, link-local or private addresses unless
the operator allows private targets."""

from __future__ import annotations

from typing import Any

import pytest
from notifier_builders import ANY_VERSION
from notifier_harness import API, Notifier

from clinic_shared.testing.outbound import resolving_to


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"smsc": {"base_url": "http://127.0.0.1:8091"}}, "smsc.base_url"),
        ({"quicktelecom": {"base_url": "http://localhost/public/http"}}, "quicktelecom.base_url"),
        ({"imobis": {"base_url": "http://169.254.169.254/v3"}}, "imobis.base_url"),
        ({"smsc": {"base_url": "http://[fe80::1]"}}, "smsc.base_url"),
        ({"smtp": {"host": "127.0.0.1"}}, "smtp.host"),
        ({"smtp": {"host": "10.20.30.40"}}, "smtp.host"),
        ({"smtp": {"host": "::1"}}, "smtp.host"),
    ],
)
async def test_a_provider_address_on_a_loopback_link_local_or_private_address_is_refused_naming_the_field(
    notifier: Notifier, body: dict[str, Any], field: str
) -> None:
    response = await notifier.client.put(f"{API}/settings", json=body, headers={**notifier.headers, **ANY_VERSION})
    assert response.status_code == 422, response.text
    [error] = response.json()["errors"]
    assert error["field"] == field and "outbound address policy" in error["message"]
    stored = (await notifier.client.get(f"{API}/settings", headers=notifier.headers)).json()
    assert stored["smtp"]["host"] == "" and stored["smsc"]["base_url"] == "https://smsc.ru"


async def test_an_smtp_host_whose_name_resolves_to_loopback_is_refused(
    notifier: Notifier, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolving_to(monkeypatch, "127.0.0.1")
    response = await notifier.client.put(
        f"{API}/settings", json={"smtp": {"host": "mail.example.test"}}, headers={**notifier.headers, **ANY_VERSION}
    )
    assert response.status_code == 422, response.text
    assert "mail.example.test resolves to 127.0.0.1" in response.json()["errors"][0]["message"]


async def test_public_provider_addresses_are_saved(notifier: Notifier, monkeypatch: pytest.MonkeyPatch) -> None:
    resolving_to(monkeypatch, "93.184.216.34")
    body = {"smsc": {"base_url": "https://smsc.example.test"}, "smtp": {"host": "mail.example.test"}}
    response = await notifier.client.put(f"{API}/settings", json=body, headers={**notifier.headers, **ANY_VERSION})
    assert response.status_code == 200, response.text
    assert (response.json()["smsc"]["base_url"], response.json()["smtp"]["host"]) == (
        "https://smsc.example.test",
        "mail.example.test",
    )


class TestWhenTheOperatorAllowsPrivateTargets:
    @pytest.fixture
    def settings_overrides(self, settings_overrides: dict[str, Any]) -> dict[str, Any]:
        return {**settings_overrides, "outbound_allow_private": True}

    async def test_local_provider_addresses_are_saved(self, notifier: Notifier) -> None:
        body = {"smsc": {"base_url": "http://127.0.0.1:8091"}, "smtp": {"host": "127.0.0.1", "port": 2525}}
        response = await notifier.client.put(f"{API}/settings", json=body, headers={**notifier.headers, **ANY_VERSION})
        assert response.status_code == 200, response.text

    async def test_the_cloud_metadata_address_is_refused_all_the_same(self, notifier: Notifier) -> None:
        body = {"imobis": {"base_url": "http://169.254.169.254"}}
        response = await notifier.client.put(f"{API}/settings", json=body, headers={**notifier.headers, **ANY_VERSION})
        assert response.status_code == 422
