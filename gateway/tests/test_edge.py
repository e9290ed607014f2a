"""The gateway's edge (gateway/edge.py, gateway/routes.py): token first, a body limit per kind
of route, the client's address as the gateway established it, security headers; its own
refusals are problems like any other answer's (public `instance`, Russian unless asked for English)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse

from gateway.routes import Access, classify


@pytest.mark.parametrize(
    ("method", "path", "access", "upload"),
    [
        ("GET", "/api/health", Access.OPEN, False),
        ("POST", "/api/auth/token", Access.OPEN, False),
        ("POST", "/api/auth/refresh", Access.OPEN, False),
        ("GET", "/api/auth/users", Access.TOKEN, False),
        ("GET", "/api/scheduling/online/doctors", Access.WIDGET, False),
        ("GET", "/api/scheduling/online/links", Access.TOKEN, False),
        ("POST", "/api/scheduling/online/appointments", Access.WIDGET, False),
        ("DELETE", "/api/scheduling/online/appointments/3f1c", Access.WIDGET, False),
        ("PATCH", "/api/scheduling/online/appointments/3f1c", Access.TOKEN, False),
        ("POST", "/api/ondoc/callbacks/book", Access.SIGNED, False),
        ("POST", "/api/ondoc/fake-ondoc/_control/reset", Access.TOKEN, False),
        ("POST", "/api/profexam/exams/9/imports", Access.TOKEN, True),
        ("POST", "/api/lab/labs/9/catalogue", Access.TOKEN, True),
        ("POST", "/api/patients/cards", Access.TOKEN, False),
        ("OPTIONS", "/api/patients/cards", Access.OPEN, False),
        ("GET", "/api/healthz", Access.TOKEN, False),
        ("GET", "/api/docs", Access.OPEN, False),
        ("GET", "/api/redoc", Access.OPEN, False),
        ("GET", "/api/docs/assets/swagger-ui-bundle.js", Access.OPEN, False),
        ("GET", "/api/docs/assets/x/../../auth/users", Access.TOKEN, False),
    ],
)
def test_each_route_is_classified_before_its_body_is_read(method: str, path: str, access: Access, upload: bool) -> None:
    route = classify(method, path)
    assert (route.access, route.upload) == (access, upload)


async def test_an_api_call_without_a_token_is_401_before_the_service_is_asked(gateway_factory: Any) -> None:
    async with gateway_factory(anonymous=True) as client:
        response = await client.post("/api/echo/echo/x", content=b"{}", headers={"Content-Type": "application/json"})
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["connection"] == "close"  # the unread body is not read


async def test_a_revoked_or_forged_token_is_401_at_the_gateway(gateway_factory: Any) -> None:
    async with gateway_factory(anonymous=True) as client:
        response = await client.get("/api/echo/echo/x", headers={"Authorization": "Bearer not.a.jwt"})
    assert response.status_code == 401


async def test_a_json_body_over_the_json_limit_is_413(gateway_factory: Any) -> None:
    async with gateway_factory(max_json_body_bytes=1000) as client:
        response = await client.post("/api/echo/echo/x", content=b"x" * 1001)
    assert response.status_code == 413


async def test_a_public_body_over_the_public_limit_is_413(gateway_factory: Any) -> None:
    async with gateway_factory(anonymous=True, max_public_body_bytes=100) as client:
        response = await client.post("/api/auth/token", data={"username": "admin", "password": "x" * 200})
    assert response.status_code == 413


async def test_a_nul_in_json_is_refused_naming_the_field(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.post(
            "/api/echo/echo/x", content=b'{"a": {"b": "x\\u0000"}}', headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"field": "a.b", "code": "nul_character", "message": "must not contain the NUL character (U+0000)"}
    ]


async def test_the_service_sees_the_client_address_not_a_forged_forwarded_for(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/echo/echo/x", headers={"X-Forwarded-For": "203.0.113.9, 10.0.0.1"})
    assert response.json()["headers"]["x-forwarded-for"] == "127.0.0.1"


def html_service() -> FastAPI:
    app = FastAPI()

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/_meta/rights")
    async def rights() -> dict[str, str]:
        return {}

    @app.get("/page.html")
    async def page(request: Request) -> HTMLResponse:
        return HTMLResponse("<html><body>slip</body></html>")

    return app


async def test_html_answers_carry_a_content_security_policy_and_frame_protection(gateway_factory: Any) -> None:
    async with gateway_factory(services={"print": html_service()}) as client:
        response = await client.get("/api/print/page.html")
    assert response.status_code == 200
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "SAMEORIGIN"
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_the_docs_page_has_its_own_policy(gateway_factory: Any) -> None:
    async with gateway_factory(anonymous=True) as client:
        response = await client.get("/api/docs")
    assert "content-security-policy" in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"


async def test_json_answers_are_not_sniffed(gateway_factory: Any) -> None:
    async with gateway_factory() as client:
        response = await client.get("/api/echo/echo/x")
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "content-security-policy" not in response.headers


def failing_service() -> FastAPI:
    from clinic_shared.errors import install_error_handlers
    from clinic_shared.middleware import RequestContextMiddleware

    app = FastAPI()
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, service="failing")

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/_meta/rights")
    async def rights() -> dict[str, str]:
        return {}

    @app.get("/boom")
    async def boom() -> None:
        raise OverflowError("date value out of range")

    return app


async def test_a_service_failure_is_a_problem_and_the_connection_keeps_working(gateway_factory: Any) -> None:
    async with gateway_factory(services={"failing": failing_service()}) as client:
        failed = await client.get("/api/failing/boom")
        after = await client.get("/api/health")
    assert failed.status_code == 500
    assert failed.headers["content-type"] == "application/problem+json"
    assert failed.json()["detail"] == "An unexpected error occurred; it has been logged."
    assert after.status_code == 200


# --- the edge's own refusals: problems a front end can show ----------------------------------


@dataclass(frozen=True)
class Refusal:
    """A request the edge refuses itself, and what it answers in English and in Russian."""

    status: int
    method: str
    path: str
    english: str
    russian: str
    request: dict[str, Any] = field(default_factory=dict)
    settings: dict[str, Any] = field(default_factory=dict)
    anonymous: bool = False


REFUSALS = {
    "no token": Refusal(
        401,
        "GET",
        "/api/echo/echo/x",
        "A bearer token is required (POST /api/auth/token).",
        "Нужен токен доступа: войдите в систему (POST /api/auth/token).",
        anonymous=True,
    ),
    "a forged token": Refusal(
        401,
        "GET",
        "/api/echo/echo/x",
        "The token is invalid.",
        "Токен недействителен: войдите снова.",
        request={"headers": {"Authorization": "Bearer not.a.jwt"}},
        anonymous=True,
    ),
    "a body too large": Refusal(
        413,
        "POST",
        "/api/echo/echo/x",
        "The body is larger than 1000 bytes.",
        "Тело запроса больше 1000 байт.",
        request={"content": b"x" * 1001},
        settings={"max_json_body_bytes": 1000},
    ),
    "a Content-Length that is not a number": Refusal(
        400,
        "POST",
        "/api/echo/echo/x",
        "Content-Length is not a number.",
        "Заголовок Content-Length — не число.",
        request={"content": b"{}", "headers": {"Content-Length": "many"}},
    ),
    "a NUL character": Refusal(
        422,
        "POST",
        "/api/echo/echo/x",
        "Invalid input: a",
        "Ошибка в данных: a",
        request={"content": b'{"a": "x\\u0000"}', "headers": {"Content-Type": "application/json"}},
    ),
    "a query string too long": Refusal(
        414,
        "GET",
        "/api/echo/echo/x",
        "The query string is longer than 100 bytes.",
        "Строка параметров запроса длиннее 100 байт.",
        request={"params": {"q": "x" * 101}},
        settings={"max_query_bytes": 100},
    ),
}


async def refused(gateway_factory: Any, refusal: Refusal, accept_language: str | None) -> httpx.Response:
    """The edge's answer to `refusal`, asked in `accept_language` (None: no Accept-Language at all)."""
    async with gateway_factory(anonymous=refusal.anonymous, **refusal.settings) as client:
        del client.headers["Accept-Language"]
        headers = dict(refusal.request.get("headers", {}))
        if accept_language is not None:
            headers["Accept-Language"] = accept_language
        response = await client.request(refusal.method, refusal.path, **{**refusal.request, "headers": headers})
    assert response.status_code == refusal.status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return response


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
async def test_an_edge_refusal_names_the_public_path_in_instance(gateway_factory: Any, refusal: Refusal) -> None:
    response = await refused(gateway_factory, refusal, "en")
    assert response.json()["instance"] == refusal.path


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
async def test_an_edge_refusal_is_in_russian_by_default(gateway_factory: Any, refusal: Refusal) -> None:
    response = await refused(gateway_factory, refusal, None)
    assert response.headers["content-language"] == "ru"
    assert response.json()["detail"] == refusal.russian


@pytest.mark.parametrize("refusal", REFUSALS.values(), ids=REFUSALS.keys())
async def test_an_edge_refusal_is_in_english_on_request(gateway_factory: Any, refusal: Refusal) -> None:
    response = await refused(gateway_factory, refusal, "en")
    assert response.headers["content-language"] == "en"
    assert response.json()["detail"] == refusal.english


async def test_a_query_string_too_long_has_a_code_of_its_own(gateway_factory: Any) -> None:
    response = await refused(gateway_factory, REFUSALS["a query string too long"], None)
    body = response.json()
    assert (body["code"], body["type"]) == ("uri-too-long", "/problems/uri-too-long")
    assert body["title"] == "Слишком длинный адрес запроса"
