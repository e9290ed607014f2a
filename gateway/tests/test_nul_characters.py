"""A NUL character (U+0000) in any text is refused at the gateway with 422 naming the field.

PostgreSQL text cannot hold it: found by the fuzz suite, a lab named "EN\\u0000" answered 500.
"""

from __future__ import annotations

from typing import Any


async def test_a_nul_in_a_json_string_is_refused_naming_the_field(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.post("/api/echo/echo/x", json={"lab": {"names": ["ok", "bad\u0000name"]}})
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "lab.names.1", "code": "nul_character", "message": "must not contain the NUL character (U+0000)"}
    ]


async def test_a_nul_in_a_query_value_is_refused_naming_the_parameter(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/echo/echo/x?page=1&q=ab%00c")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "q"


async def test_a_nul_in_a_form_field_is_refused_naming_it(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.post("/api/auth/token", data={"username": "ad\u0000min", "password": "x"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "username"


async def test_an_escaped_backslash_u0000_text_is_not_a_nul_and_passes(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.post("/api/echo/echo/x", json={"note": "literally \\u0000"})
    assert response.status_code == 200


async def test_nul_bytes_inside_an_uploaded_file_pass(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.post(
            "/api/echo/echo/x", files={"file": ("a.bin", b"PK\x03\x04\x00\x00", "application/zip")}
        )
    assert response.status_code == 200
