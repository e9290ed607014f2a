"""The API's pages (gateway/docs.py): served whole by the gateway, and logging in with a username
and password. The browser's view of them is in test_docs_browser.py."""

from __future__ import annotations

import re
from typing import Any

import pytest

from gateway.docs import with_password_login

ASSETS = {
    "/api/docs/assets/swagger-ui-bundle.js": "javascript",
    "/api/docs/assets/swagger-ui.css": "text/css",
    "/api/docs/assets/redoc.standalone.js": "javascript",
    "/api/docs/assets/favicon.png": "image/png",
}


@pytest.mark.parametrize("page", ["/api/docs", "/api/redoc"])
async def test_a_docs_page_names_only_the_gateways_own_urls(gateway_factory: Any, page: str) -> None:
    async with gateway_factory(anonymous=True) as client:
        response = await client.get(page)
    assert response.status_code == 200
    urls = re.findall(r"""(?:src|href|url|spec-url)\s*[=:]\s*["']([^"']+)""", response.text)
    assert urls and [url for url in urls if not url.startswith("/api/")] == []
    assert "http" not in response.headers["content-security-policy"]


async def test_the_pages_scripts_and_styles_are_served_without_a_token(gateway_factory: Any) -> None:
    async with gateway_factory(anonymous=True) as client:
        answers = {url: await client.get(url) for url in ASSETS}
    assert {url: r.status_code for url, r in answers.items()} == dict.fromkeys(ASSETS, 200)
    for url, kind in ASSETS.items():
        assert kind in answers[url].headers["content-type"]


async def test_nothing_else_is_served_from_the_assets_folder(gateway_factory: Any) -> None:
    async with gateway_factory(anonymous=True) as client:
        missing = await client.get("/api/docs/assets/core.py")
        outside = await client.get("/api/docs/assets/..%2Fcore.py")
    assert missing.status_code == 404
    assert outside.status_code in (401, 404)


async def test_the_merged_document_offers_the_password_login(gateway_factory: Any) -> None:
    async with gateway_factory(anonymous=True) as client:
        document = (await client.get("/api/openapi.json")).json()
    scheme = document["components"]["securitySchemes"]["OAuth2Password"]
    assert scheme["flows"] == {"password": {"tokenUrl": "/api/auth/token", "scopes": {}}}
    assert document["paths"]["/api/auth/me"]["get"]["security"] == [{"HTTPBearer": []}, {"OAuth2Password": []}]
    assert "security" not in document["paths"]["/api/auth/token"]["post"]


async def test_the_login_answers_swagger_uis_password_form(gateway_factory: Any) -> None:
    """As Swagger UI sends it: the form, and its empty client id and secret as a Basic header."""
    form = {"grant_type": "password", "username": "admin", "password": "admin-test-password", "scope": ""}
    async with gateway_factory(anonymous=True) as client:
        response = await client.post("/api/auth/token", data=form, headers={"Authorization": "Basic Og=="})
        me = await client.get("/api/auth/me", headers={"Authorization": f"Bearer {response.json()['access_token']}"})
    assert response.status_code == 200
    assert response.json()["token_type"] == "bearer"
    assert me.json()["username"] == "admin"


def test_an_operation_taking_a_bearer_token_and_a_key_takes_the_login_and_the_key() -> None:
    document = {
        "paths": {
            "/a": {"get": {"security": [{"HTTPBearer": [], "ApiKey": []}]}},
            "/b": {"post": {"security": [{"ApiKey": []}]}, "parameters": []},
        }
    }
    with_password_login(document)
    assert document["paths"]["/a"]["get"]["security"] == [
        {"HTTPBearer": [], "ApiKey": []},
        {"OAuth2Password": [], "ApiKey": []},
    ]
    assert document["paths"]["/b"]["post"]["security"] == [{"ApiKey": []}]
