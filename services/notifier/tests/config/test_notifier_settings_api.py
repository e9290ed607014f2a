"""GET|PUT /settings (NOT-1): secrets are kept server-side and never shown."""

from __future__ import annotations

from notifier_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

API = "/api/notifier/settings"


async def test_secrets_are_shown_only_as_set_flags_and_kept_when_omitted(platform: Platform) -> None:
    headers = platform.admin_headers
    first = await platform.client.put(
        API,
        json={
            "sms_provider": "smsc",
            "smsc": {"login": "clinic", "password": "s3cret"},
            "imobis": {"token": "tok-123"},
            "smtp": {
                "host": "smtp.example.org",
                "port": 465,
                "password": "mail-pw",
                "security": "ssl",
                "from_address": "clinic@example.org",
            },
        },
        headers={**headers, **ANY_VERSION},
    )
    assert first.status_code == 200, first.text
    assert "s3cret" not in first.text and "tok-123" not in first.text and "mail-pw" not in first.text
    second = await platform.client.put(
        API, json={"clinic_name": "Здоровье", "smsc": {"login": "clinic2"}}, headers={**headers, **ANY_VERSION}
    )

    body = (await platform.client.get(API, headers=headers)).json()
    assert second.status_code == 200
    assert body["smsc"] == {"base_url": "https://smsc.ru", "login": "clinic2", "password_set": True}
    assert body["imobis"]["token_set"] is True
    assert body["smtp"]["password_set"] is True and body["smtp"]["port"] == 465
    assert body["clinic_name"] == "Здоровье" and body["sms_provider"] == "smsc"
    assert "s3cret" not in str(body)


async def test_an_empty_secret_clears_it(platform: Platform) -> None:
    headers = platform.admin_headers
    await platform.client.put(
        API, json={"quicktelecom": {"login": "u", "password": "p"}}, headers={**headers, **ANY_VERSION}
    )
    response = await platform.client.put(
        API, json={"quicktelecom": {"password": ""}}, headers={**headers, **ANY_VERSION}
    )
    assert response.json()["quicktelecom"] == {
        "base_url": "https://go.qtelecom.ru/public/http",
        "login": "u",
        "password_set": False,
    }


async def test_bad_settings_are_refused_naming_the_field(platform: Platform) -> None:
    headers = platform.admin_headers
    cases = [
        ({"phone_country": "XX"}, "phone_country"),
        ({"sms_provider": "twilio"}, "sms_provider"),
        ({"smtp": {"port": 70000}}, "smtp.port"),
        ({"smsc": {"base_url": "ftp://smsc"}}, "smsc.base_url"),
        ({"smtp": {"from_address": "not-an-address"}}, "smtp.from_address"),
    ]
    for body, field in cases:
        response = await platform.client.put(API, json=body, headers={**headers, **ANY_VERSION})
        assert response.status_code == 422, body
        assert [e["field"] for e in response.json()["errors"]] == [field]


async def test_changing_settings_needs_the_settings_right(platform: Platform) -> None:
    reader = await platform.headers_with(["notifier.read"])
    assert (await platform.client.get(API, headers=reader)).status_code == 200
    response = await platform.client.put(API, json={"clinic_name": "x"}, headers=reader)
    assert response.status_code == 403
    assert "notifier.settings" in response.json()["detail"]


async def test_the_notifier_paths_are_in_the_merged_openapi_document(platform: Platform) -> None:
    response = await platform.client.get("/api/openapi.json", headers=platform.admin_headers)
    paths = response.json()["paths"]
    for path in (
        "/settings",
        "/schedules",
        "/schedules/{schedule_id}",
        "/schedules/{schedule_id}/preview",
        "/template-parameters",
        "/messages",
        "/messages/{message_id}/retry",
    ):
        assert f"/api/notifier{path}" in paths, path
