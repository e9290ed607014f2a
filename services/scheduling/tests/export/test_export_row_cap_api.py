"""The export's row cap (SCH-11): more rows than `export_max_rows` is a 422 asking to narrow."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from scheduling_test_builders import API

pytestmark = pytest.mark.asyncio(loop_scope="module")


@pytest.fixture(scope="module")
def module_settings() -> Iterator[dict[str, Any]]:
    # Services take their own settings from the environment (the gateway passes only shared ones).
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("CLINIC_EXPORT_MAX_ROWS", "1")
        yield {}


async def test_an_export_over_the_row_cap_is_422_asking_to_narrow_the_filter(build: Any) -> None:
    day = build.day(2)
    doctor = await build.working_doctor(day)
    await build.book(doctor["id"], day, "10:00")
    await build.book(doctor["id"], day, "11:00")

    response = await build.client.get(
        f"{API}/appointments/export.xlsx", params={"doctor_id": doctor["id"]}, headers=build.headers
    )

    assert response.status_code == 422
    assert "narrow the filter" in response.json()["errors"][0]["message"]
