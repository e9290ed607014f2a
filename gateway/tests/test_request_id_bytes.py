"""A caller's X-Request-ID that is not plain ASCII is replaced, never a 500 (GW-1, PLT-5)."""

from __future__ import annotations

from typing import Any


async def test_a_request_id_of_non_ascii_bytes_is_replaced_by_a_fresh_one(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/echo/echo/x", headers=[(b"X-Request-ID", b"\xff\xfe")])
    assert response.status_code == 200
    assert response.headers["x-request-id"].isascii() and len(response.headers["x-request-id"]) >= 16
    assert response.json()["headers"]["x-request-id"] == response.headers["x-request-id"]
