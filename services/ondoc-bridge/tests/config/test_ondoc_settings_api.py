"""GET|PUT /settings (OND-1): secrets go in and never come out; bad input names the field."""

from __future__ import annotations

from ondoc_testkit import ONDOC

from clinic_shared.testing.platform import Platform

SETTINGS = f"{ONDOC}/settings"


async def test_settings_never_show_tokens_or_secrets(platform: Platform) -> None:
    response = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["company_token"], body["company_token_set"]) == ("***", True)
    assert (body["branch_token"], body["branch_token_set"]) == ("***", True)
    assert len(body["callback_secrets"]) == 1 and set(body["callback_secrets"][0]) == {"fingerprint"}
    assert "fake-company-token" not in response.text and "fake-ondoc-callback-secret" not in response.text


async def test_tokens_left_out_of_a_put_are_kept(platform: Platform) -> None:
    response = await platform.client.put(
        SETTINGS,
        json={"time_zone": "GMT+3", "refresh_interval_minutes": 15, "contact_priority": "email"},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["time_zone"], body["refresh_interval_minutes"], body["contact_priority"]) == (
        "Europe/Moscow",
        15,
        "email",
    )
    assert body["company_token_set"] and body["branch_token_set"] and len(body["callback_secrets"]) == 1


async def test_an_unknown_time_zone_is_refused_naming_the_field(platform: Platform) -> None:
    response = await platform.client.put(
        SETTINGS, json={"time_zone": "Mars/Olympus"}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["time_zone"]


async def test_a_refresh_interval_below_one_minute_is_refused(platform: Platform) -> None:
    response = await platform.client.put(
        SETTINGS, json={"refresh_interval_minutes": 0}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["refresh_interval_minutes"]


async def test_enabling_without_tokens_is_refused_naming_what_is_missing(platform: Platform) -> None:
    response = await platform.client.put(
        SETTINGS,
        json={"company_token": "", "branch_token": None, "enabled": True},
        headers={**platform.admin_headers, "If-Match": "*"},
    )
    assert response.status_code == 422
    assert sorted(e["field"] for e in response.json()["errors"]) == ["branch_token", "company_token"]
    after = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    assert after.json()["company_token_set"] is True


async def test_changing_settings_needs_the_settings_right(platform: Platform) -> None:
    reader = await platform.headers_with(["ondoc.read"])
    assert (await platform.client.get(SETTINGS, headers=reader)).status_code == 200
    response = await platform.client.put(SETTINGS, json={"enabled": False}, headers=reader)
    assert response.status_code == 403


async def test_a_rotated_secret_list_shows_one_fingerprint_per_secret(platform: Platform) -> None:
    secrets = ["new-secret-0123456789abcdef", "old-secret-0123456789abcdef"]
    response = await platform.client.put(
        SETTINGS, json={"callback_secrets": secrets}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    assert response.status_code == 200
    fingerprints = [s["fingerprint"] for s in response.json()["callback_secrets"]]
    assert len(set(fingerprints)) == 2 and not any(s in response.text for s in secrets)
