"""Fixtures of the security walk: the whole platform, with the fake ONDOC on (as `make run` has it)
so the ONDOC callbacks are live and signed with the fake's shared secret."""

from __future__ import annotations

from typing import Any

import pytest

from clinic_shared.testing.platform import Platform


@pytest.fixture(autouse=True)
def ondoc_callbacks_live(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLINIC_ONDOC_FAKE", "true")
    monkeypatch.setenv("CLINIC_ONDOC_FIRST_SYNC_DELAY_SECONDS", "3600")


@pytest.fixture
async def openapi_document(platform: Platform) -> dict[str, Any]:
    response = await platform.client.get("/api/openapi.json")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]
