from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import SecretStr

from clinic_shared.testing.platform import app_running
from gateway.app import create_app
from gateway.settings import GatewaySettings


@pytest.fixture
def platform_services() -> list[str]:
    return []


def echo_service() -> FastAPI:
    """A stand-in service that shows what the gateway forwarded."""
    app = FastAPI(title="echo")

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.api_route("/echo/{rest:path}", methods=["GET", "POST", "PUT"])
    async def echo(rest: str, request: Request) -> dict[str, Any]:
        body = await request.body()
        return {
            "path": request.url.path,
            "query": request.url.query,
            "headers": dict(request.headers),
            "body_length": len(body),
        }

    @app.get("/_meta/rights")
    async def rights() -> dict[str, str]:
        return {"echo.read": "Read echoes"}

    return app


@pytest.fixture
def gateway_factory(settings_overrides: dict[str, Any], jwt_keys: tuple[str, str]) -> Callable[..., Any]:
    @asynccontextmanager
    async def make(
        services: dict[str, FastAPI] | None = None, *, anonymous: bool = False, **settings: Any
    ) -> AsyncIterator[httpx.AsyncClient]:
        """The gateway in front of `services` (the echo service by default); its client carries
        the admin's token unless `anonymous`."""
        gateway_settings = GatewaySettings(
            **{**settings_overrides, **settings},
            jwt_private_key=SecretStr(jwt_keys[0]),
            admin_password=SecretStr("admin-test-password"),
            password_hash_time_cost=1,
            password_hash_memory_kib=64,
        )
        app = create_app(gateway_settings, embedded_apps=services if services is not None else {"echo": echo_service()})
        async with app_running(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(
                transport=transport, base_url="http://testserver", headers={"Accept-Language": "en"}
            ) as client:
                if not anonymous:
                    login = await client.post(
                        "/api/auth/token", data={"username": "admin", "password": "admin-test-password"}
                    )
                    client.headers["Authorization"] = f"Bearer {login.json()['access_token']}"
                yield client

    return make
