"""The waiting list no longer ignores filters it does not have (#14): `?date_from=&date_to=` was
answered with every entry, as if filtered; now any undeclared query parameter is a 422."""

from __future__ import annotations

from clinic_shared.testing.platform import Platform


async def test_a_period_filter_the_waiting_list_does_not_have_is_422_naming_it(platform: Platform) -> None:
    response = await platform.client.get(
        "/api/scheduling/waitlist",
        params={"date_from": "2026-12-01", "date_to": "2026-12-31"},
        headers=platform.admin_headers,
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["date_from", "date_to"]


async def test_the_filters_it_has_still_work(platform: Platform) -> None:
    response = await platform.client.get(
        "/api/scheduling/waitlist", params={"date": "2026-12-07", "limit": 10}, headers=platform.admin_headers
    )
    assert response.status_code == 200
