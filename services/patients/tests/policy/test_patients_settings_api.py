"""Card settings (PAT-2) through the gateway."""

from __future__ import annotations

from patients_builders import ANY_VERSION

from clinic_shared.testing.platform import Platform

SETTINGS = "/api/patients/settings"


async def test_required_data_policy_is_off_by_default(platform: Platform) -> None:
    response = await platform.client.get(SETTINGS, headers=platform.admin_headers)
    assert response.status_code == 200
    assert response.json()["required_fields_enabled"] is False


async def test_policy_can_be_switched_on_and_is_kept(platform: Platform) -> None:
    response = await platform.client.put(
        SETTINGS, json={"required_fields_enabled": True}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 200 and response.json()["required_fields_enabled"] is True
    assert (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json()["required_fields_enabled"]


async def test_settings_tell_which_fields_the_policy_requires(platform: Platform) -> None:
    body = (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json()
    assert body["required_fields"] == ["last_name", "first_name", "middle_name", "birth_date", "contact"]


async def test_non_boolean_flag_is_422_naming_it(platform: Platform) -> None:
    response = await platform.client.put(
        SETTINGS, json={"required_fields_enabled": "maybe"}, headers={**platform.admin_headers, **ANY_VERSION}
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["required_fields_enabled"]
