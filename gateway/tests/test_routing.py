"""Routing, limits, health and the merged OpenAPI document (GW-1, GW-4)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI


async def login(client: Any) -> dict[str, str]:
    response = await client.post("/api/auth/token", data={"username": "admin", "password": "admin-test-password"})
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_request_is_forwarded_without_the_api_prefix(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/echo/echo/a/b?x=1&name=%D0%98")
    assert response.status_code == 200
    assert response.json()["path"] == "/echo/a/b"
    assert response.json()["query"] == "x=1&name=%D0%98"


async def test_request_id_is_passed_to_the_service_and_returned(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/echo/echo/x", headers={"X-Request-ID": "req-123"})
    assert response.headers["x-request-id"] == "req-123"
    assert response.json()["headers"]["x-request-id"] == "req-123"


async def test_request_id_is_made_when_missing(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/echo/echo/x")
    assert len(response.headers["x-request-id"]) >= 16
    assert response.json()["headers"]["x-request-id"] == response.headers["x-request-id"]


async def test_authorization_header_reaches_the_service(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/echo/echo/x")
    assert response.json()["headers"]["authorization"] == client.headers["authorization"]


async def test_unknown_service_is_404_problem(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/nosuch/things")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/problem+json")


async def test_internal_service_endpoints_are_not_exposed(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        responses = [await client.get(f"/api/echo/{p}") for p in ("_meta/rights", "metrics", "health", "openapi.json")]
    assert [r.status_code for r in responses] == [404, 404, 404, 404]


async def test_body_over_the_limit_is_413(gateway_factory: Any) -> None:
    async with gateway_factory(max_json_body_bytes=1000) as client:
        response = await client.post("/api/echo/echo/x", content=b"x" * 1001)
    assert response.status_code == 413
    assert response.json()["status"] == 413


async def test_streamed_body_over_the_limit_is_413(gateway_factory: Any) -> None:
    async def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 100

    async with gateway_factory(max_json_body_bytes=1000) as client:
        response = await client.post("/api/echo/echo/x", content=chunks())
    assert response.status_code == 413


async def test_body_within_the_limit_is_forwarded_whole(gateway_factory: Any) -> None:
    async with gateway_factory(max_json_body_bytes=1000) as client:
        response = await client.post("/api/echo/echo/x", content=b"x" * 1000)
    assert response.json()["body_length"] == 1000


async def test_huge_query_string_is_414(gateway_factory: Any) -> None:
    async with gateway_factory(max_query_bytes=100) as client:
        response = await client.get("/api/echo/echo/x", params={"q": "a" * 200})
    assert response.status_code == 414


async def test_health_reports_every_service(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "services": {"echo": "ok", "gateway": "ok"}}


async def test_health_is_503_when_a_service_is_down(gateway_factory: Any) -> None:
    broken = FastAPI()

    @broken.get("/health")
    async def health() -> Any:
        from fastapi.responses import JSONResponse

        return JSONResponse({"status": "down"}, status_code=503)

    async with gateway_factory(services={"broken": broken}) as client:
        response = await client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["services"]["broken"] == "unavailable"


async def test_unreachable_service_answers_503_problem(gateway_factory: Any) -> None:
    async with gateway_factory(services={}, service_urls={"patients": "http://127.0.0.1:9"}) as client:
        response = await client.get("/api/patients/cards")
    assert response.status_code == 503
    assert "patients" in response.json()["detail"]


async def test_merged_openapi_prefixes_service_paths_and_schemas(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        document = (await client.get("/api/openapi.json")).json()
    assert "/api/auth/token" in document["paths"]
    assert "/api/echo/echo/{rest}" in document["paths"]
    assert all(not path.startswith("/echo") for path in document["paths"])


async def test_docs_page_points_at_the_merged_document(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/docs")
    assert response.status_code == 200
    assert "/api/openapi.json" in response.text


async def test_repeated_failed_logins_are_throttled(gateway_factory: Any) -> None:
    async with gateway_factory(login_max_failures=3) as client:
        statuses = [
            (await client.post("/api/auth/token", data={"username": "admin", "password": "wrong"})).status_code
            for _ in range(4)
        ]
        right_password = await client.post(
            "/api/auth/token", data={"username": "admin", "password": "admin-test-password"}
        )
    assert statuses == [401, 401, 401, 429]
    assert right_password.status_code == 429
    assert int(right_password.headers["retry-after"]) > 0


async def test_cors_preflight_allows_configured_origin(gateway_factory: Any) -> None:
    async with gateway_factory(cors_origins=["http://localhost:5173"]) as client:
        response = await client.options(
            "/api/auth/me",
            headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET"},
        )
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "http://localhost:5173"


async def test_cors_refuses_unknown_origin(gateway_factory: Any) -> None:
    async with gateway_factory(cors_origins=["http://localhost:5173"]) as client:
        response = await client.options(
            "/api/auth/me", headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"}
        )
    assert "access-control-allow-origin" not in response.headers


async def test_rights_catalogue_includes_service_rights(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/auth/rights", headers=await login(client))
    assert response.json()["echo"] == {"echo.read": "Read echoes"}
    assert "gateway.users" in response.json()["gateway"]


async def test_role_can_use_a_service_wildcard(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.post(
            "/api/auth/roles", json={"name": "echoer", "rights": ["echo.*"]}, headers=await login(client)
        )
    assert response.status_code == 201
