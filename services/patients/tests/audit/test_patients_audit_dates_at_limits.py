"""Instants at the limits of the calendar are 422 naming the field, never 500 (#13)."""

from __future__ import annotations

import pytest

from clinic_shared.testing.platform import Platform


@pytest.mark.parametrize("instant", ["0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-14:00"])
async def test_an_audit_period_at_the_limits_is_422_naming_it(platform: Platform, instant: str) -> None:
    response = await platform.client.get(
        "/api/patients/audit", params={"since": instant, "until": instant}, headers=platform.admin_headers
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"since", "until"}
