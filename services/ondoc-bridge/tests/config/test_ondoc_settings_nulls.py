"""PUT /settings with null for a setting that always has a value (OND-1): 422 naming the field,
the settings unchanged (it used to reach the NOT NULL column and answer 500)."""

from __future__ import annotations

import pytest
from ondoc_testkit import ONDOC

from clinic_shared.testing.platform import Platform

SETTINGS = f"{ONDOC}/settings"
ALWAYS_SET = [
    "time_zone",
    "refresh_interval_minutes",
    "enabled",
    "contact_priority",
    "callback_secrets",
    "attach_code_ttl_minutes",
]


@pytest.mark.parametrize("field", ALWAYS_SET)
async def test_null_for_a_setting_that_always_has_a_value_is_refused_naming_it(platform: Platform, field: str) -> None:
    before = (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json()
    response = await platform.client.put(
        SETTINGS, json={field: None}, headers={**platform.admin_headers, "If-Match": "*"}
    )
    after = (await platform.client.get(SETTINGS, headers=platform.admin_headers)).json()
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert after == before
