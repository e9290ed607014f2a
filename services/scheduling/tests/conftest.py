"""Fixtures of the scheduling tests.

API tests run against one embedded platform per test MODULE (`module_platform`, `build`):
starting the gateway and services costs seconds, and the suite must stay fast. Tests in a
module therefore share a database; each one creates its own doctors, cards and
appointments, and a test that changes the settings puts them back. A module chooses its
services and extra settings by overriding `module_services` / `module_settings`, and marks
its tests `pytest.mark.asyncio(loop_scope="module")` (the platform lives in that loop).

The plugin's function-scoped `platform` fixture still works here (with scheduling only).
"""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
import pytest_asyncio
from pydantic import SecretStr

from clinic_shared.db import Database
from clinic_shared.testing.backends import Backends, Isolation
from clinic_shared.testing.platform import EventSpy, Platform, app_running, spy_bus
from testsupport.plugin import ADMIN_PASSWORD

BUILDERS_MODULE = "scheduling_test_builders"


def _load_builders() -> ModuleType:
    # Loaded under a name of its own: other services' tests may have a `builders.py` too,
    # and a plain `import builders` would hand every suite the first one imported.
    if BUILDERS_MODULE in sys.modules:
        return sys.modules[BUILDERS_MODULE]
    spec = importlib.util.spec_from_file_location(BUILDERS_MODULE, Path(__file__).with_name("builders.py"))
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[BUILDERS_MODULE] = module
    spec.loader.exec_module(module)
    return module


builders = _load_builders()


@pytest.fixture
def platform_services() -> list[str]:
    return ["scheduling"]


@pytest.fixture(scope="module")
def module_services() -> list[str]:
    """Services of the module's platform (override with ["patients", "scheduling"] for cards)."""
    return ["scheduling"]


@pytest.fixture(scope="module")
def module_settings() -> dict[str, Any]:
    """Extra settings of the module's platform (e.g. {"timezone": "Europe/Berlin"})."""
    return {}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_isolation(backends: Backends, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Isolation]:
    isolated = Isolation.new(backends, tmp_path_factory.mktemp("scheduling") / "var")
    try:
        yield isolated
    finally:
        await isolated.cleanup()


@pytest.fixture(scope="module")
def module_overrides(module_isolation: Isolation, module_settings: dict[str, Any]) -> dict[str, Any]:
    # Commits wake the outbox relay at once; a slower idle poll keeps SQLite's single writer
    # lock free for the requests.
    return {**module_isolation.overrides(), "outbox_poll_seconds": 0.5, **module_settings}


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def module_platform(
    module_services: list[str], module_overrides: dict[str, Any], jwt_keys: tuple[str, str]
) -> AsyncIterator[Platform]:
    """The embedded platform (gateway + module_services) for all tests of a module."""
    from gateway.embedded import build_platform
    from gateway.settings import GatewaySettings

    settings = GatewaySettings(
        **module_overrides,
        jwt_private_key=SecretStr(jwt_keys[0]),
        admin_password=SecretStr(ADMIN_PASSWORD),
        login_max_failures=1000,
    )
    app = build_platform(settings, services=module_services)
    spy = EventSpy()
    async with app_running(app):
        own_bus = await spy_bus(module_overrides, app, spy)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", timeout=60, headers={"Accept-Language": "en"}
        ) as client:
            response = await client.post("/api/auth/token", data={"username": "admin", "password": ADMIN_PASSWORD})
            assert response.status_code == 200, response.text
            headers = {"Authorization": f"Bearer {response.json()['access_token']}"}
            try:
                yield Platform(
                    app=app, client=client, admin_headers=headers, spy=spy, bus=getattr(app.state, "bus", None)
                )
            finally:
                if own_bus is not None:
                    await own_bus.close()


@pytest.fixture(scope="module")
def build(module_platform: Platform, module_overrides: dict[str, Any]) -> Any:
    """Data builders acting through the gateway as the admin."""
    return builders.Builder(module_platform, module_overrides)


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def reader(module_platform: Platform) -> dict[str, str]:
    """Headers of a user who may only read scheduling (made once per module: hashing is slow)."""
    return await module_platform.headers_with(["scheduling.read"])


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def writer(module_platform: Platform) -> dict[str, str]:
    """Headers of a receptionist-like user: read and write, no delete, overbook or setup rights."""
    return await module_platform.headers_with(["scheduling.read", "scheduling.write"])


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    """Scheduling's tables in a fresh SQLite file, for tests of the service layer without HTTP."""
    from scheduling.models import Base
    from scheduling.settings import SchedulingSettings

    database = Database(SchedulingSettings(data_dir=tmp_path, database_url=None))
    async with database.engine.begin() as conn:
        await conn.run_sync(Base.metadata.create_all)
    try:
        yield database
    finally:
        await database.dispose()
