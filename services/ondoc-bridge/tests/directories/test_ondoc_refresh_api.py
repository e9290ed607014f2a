"""The refresh task uploads the directories on its own (OND-8)."""

from __future__ import annotations

import pytest
from ondoc_testkit import ONDOC, fake_state, needs_scheduling, wait_until

from clinic_shared.testing.platform import Platform

pytestmark = needs_scheduling


@pytest.fixture
def platform_services(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    # The first upload right after the start, looked for every 0.1 s.
    monkeypatch.setenv("CLINIC_ONDOC_FIRST_SYNC_DELAY_SECONDS", "0")
    monkeypatch.setenv("CLINIC_ONDOC_SYNC_CHECK_SECONDS", "0.1")
    return ["scheduling", "ondoc"]


async def test_directories_are_uploaded_without_anyone_asking(platform: Platform) -> None:
    async def uploaded() -> bool:
        response = await platform.client.get(f"{ONDOC}/sync", headers=platform.admin_headers)
        return {item["status"] for item in response.json()["items"]} == {"uploaded"} and response.json()["total"] == 4

    await wait_until(uploaded, what="the first automatic upload")
    assert set((await fake_state(platform))["directories"]) == {"doctors", "services", "specializations"}
