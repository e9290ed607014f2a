"""Paths with characters that must be percent-encoded reach the service, not a 500 (GW-1)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(("sent", "seen"), [("/echo/%07bell", "/echo/\x07bell"), ("/echo/%C3%BCber", "/echo/über")])
async def test_a_path_with_a_control_or_non_ascii_character_is_forwarded(
    gateway_factory: Any, sent: str, seen: str
) -> None:
    async with gateway_factory() as client:
        response = await client.get(f"/api/echo{sent}")
    assert response.status_code == 200, response.text
    assert response.json()["path"] == seen


async def test_an_encoded_space_and_reserved_characters_survive_the_hop(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/echo/echo/a%20b;c=d@e")
    assert response.json()["path"] == "/echo/a b;c=d@e"
