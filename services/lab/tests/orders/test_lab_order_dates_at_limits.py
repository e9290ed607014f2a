"""Dates at the limits of the calendar are 422 naming the field, never 500 (#13)."""

from __future__ import annotations

import pytest

from clinic_shared.testing.platform import Platform


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
async def test_an_order_list_period_at_the_limits_is_422_naming_it(platform: Platform, day: str) -> None:
    response = await platform.client.get(
        "/api/lab/orders", params={"date_from": day, "date_to": day}, headers=platform.admin_headers
    )
    assert response.status_code == 422
    assert {e["field"] for e in response.json()["errors"]} == {"date_from", "date_to"}
