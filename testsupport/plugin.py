"""pytest plugin loaded for every test (`-p testsupport.plugin`).

Here rather than in clinic_shared: the `platform` fixture starts the gateway, which is built on
clinic_shared (a library must not import what is built on it), and clinic-shared does not
depend on pytest.

Fixtures:
- `backends`: PostgreSQL/RabbitMQ URLs from CLINIC_DATABASE_URL / CLINIC_AMQP_URL (or none).
- `isolation`: this test's schema prefix, data dir, exchange and queues; cleaned up after.
- `settings_overrides`: keyword overrides for any ServiceSettings of this test.
- `jwt_keys`, `make_token`: act as the gateway when testing a service app alone.
- `platform_services`: which services `platform` starts (override in a conftest).
- `platform`: the embedded platform (gateway + services) in-process, with an admin token.
- `listener`: a local port counting the connections it gets (outbound policy tests).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import AsyncIterator, Callable
from typing import Any

import httpx
import pytest
import structlog

from clinic_shared.auth import generate_keypair, sign_token
from clinic_shared.migrations import TEMPLATES_ENV, sqlite_templates_folder
from clinic_shared.testing.backends import Backends, Isolation
from clinic_shared.testing.outbound import Listener, counting_listener
from clinic_shared.testing.platform import EventSpy, Platform, app_running, spy_bus


def pytest_configure(config: pytest.Config) -> None:
    """Code under test that logs an exception prints a plain traceback. structlog's default
    (rich, with every variable of every frame) took seconds per logged error and held the
    served platform's event loop meanwhile. Processes started by tests configure their own."""
    if not structlog.is_configured():
        renderer = structlog.dev.ConsoleRenderer(exception_formatter=structlog.dev.plain_traceback)
        structlog.configure(processors=[*structlog.get_config()["processors"][:-1], renderer])
    # Fresh SQLite databases are copies of one migrated once (clinic_shared.migrations); xdist
    # workers inherit the folder from the main process, which removes it at the end.
    if TEMPLATES_ENV not in os.environ:
        folder = sqlite_templates_folder()
        os.environ[TEMPLATES_ENV] = str(folder)
        config.add_cleanup(lambda: shutil.rmtree(folder, ignore_errors=True))


ADMIN_PASSWORD = "admin-test-password"


@pytest.fixture(scope="session")
def backends() -> Backends:
    return Backends.from_env()


@pytest.fixture
async def isolation(backends: Backends, tmp_path: Any) -> AsyncIterator[Isolation]:
    isolated = Isolation.new(backends, tmp_path / "var")
    try:
        yield isolated
    finally:
        await isolated.cleanup()


@pytest.fixture
def settings_overrides(isolation: Isolation) -> dict[str, Any]:
    return isolation.overrides()


@pytest.fixture(scope="session")
def jwt_keys() -> tuple[str, str]:
    """(private PEM, public PEM) of a key pair that plays the gateway's."""
    return generate_keypair()


@pytest.fixture
def make_token(jwt_keys: tuple[str, str]) -> Callable[..., str]:
    def make(rights: list[str], *, username: str = "tester", ttl_seconds: int = 600, **claims: Any) -> str:
        return sign_token(
            jwt_keys[0],
            user_id=uuid.uuid4(),
            username=username,
            rights=rights,
            issuer="clinic-gateway",
            audience="clinic-api",
            ttl_seconds=ttl_seconds,
            extra=claims,
        )

    return make


@pytest.fixture
async def listener() -> AsyncIterator[Listener]:
    """A port on 127.0.0.1 that counts connections: shows a refused address was never dialled."""
    async with counting_listener() as watched:
        yield watched


@pytest.fixture
def platform_services() -> list[str] | None:
    """Services the `platform` fixture starts; None = every installed service."""
    return None


@pytest.fixture
async def platform(
    platform_services: list[str] | None,
    settings_overrides: dict[str, Any],
    jwt_keys: tuple[str, str],
) -> AsyncIterator[Platform]:
    # Imported here: a test without the platform never loads the gateway.
    from pydantic import SecretStr

    from gateway.embedded import build_platform
    from gateway.settings import GatewaySettings

    gateway_settings = GatewaySettings(
        **settings_overrides,
        jwt_private_key=SecretStr(jwt_keys[0]),
        admin_password=SecretStr(ADMIN_PASSWORD),
        login_max_failures=1000,
        # No socket under the ASGI transport: a refusal sent before the body was read has no
        # reset to outrun (tests on a real socket, clinic_shared.testing.served, keep the linger).
        unread_body_linger_seconds=0.0,
        password_hash_time_cost=1,
        password_hash_memory_kib=64,
    )
    app = build_platform(gateway_settings, services=platform_services)
    spy = EventSpy()
    async with app_running(app):
        own_bus = await spy_bus(settings_overrides, app, spy)
        transport = httpx.ASGITransport(app=app)
        # English error texts: the tests read them; the Russian ones are tested on their own
        # (tests/contract/test_problem_language.py).
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", timeout=30, headers={"Accept-Language": "en"}
        ) as client:
            response = await client.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD})
            assert response.status_code == 200, response.text
            client.cookies.clear()  # an API client keeps its tokens itself; the refresh cookie is for browsers
            headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
            try:
                yield Platform(
                    app=app, client=client, admin_headers=headers, spy=spy, bus=getattr(app.state, "bus", None)
                )
            finally:
                if own_bus is not None:
                    await own_bus.close()
