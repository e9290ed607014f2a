"""The platform served over real HTTP from a background thread, for synchronous clients: the
fuzzers (schemathesis) and the web app's browser tests (Playwright's sync API).

Such clients make blocking calls; an in-process ASGI transport would open a new event loop per
call, which the platform's database pools and bus (bound to the loop they started on) cannot
survive. Serving the platform with uvicorn on its own loop in a thread keeps one long-lived
platform per test worker and exercises the real HTTP parser on the way. In both modes: the
backends (SQLite and the in-process bus, or PostgreSQL and RabbitMQ) come from the test run.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

from clinic_shared.auth import generate_keypair
from clinic_shared.testing.backends import Backends, Isolation
from gateway.embedded import build_platform, offline_openapi_document
from gateway.settings import GatewaySettings

ADMIN_PASSWORD = "fuzz-admin-password"


def gateway_settings(overrides: dict[str, Any], private_key: str, **extra: Any) -> GatewaySettings:
    """Gateway settings for a test platform: cheap password hashing, no login throttle by default."""
    values: dict[str, Any] = {
        "jwt_private_key": SecretStr(private_key),
        "admin_password": SecretStr(ADMIN_PASSWORD),
        "login_max_failures": 100_000,
        "password_hash_time_cost": 1,
        "password_hash_memory_kib": 64,
        **overrides,
        **extra,
    }
    return GatewaySettings(**values)


def merged_openapi_offline() -> dict[str, Any]:
    """The merged OpenAPI document, built from the apps without starting them (test collection
    needs the operations before any server runs)."""
    return offline_openapi_document()


@dataclass
class ServedPlatform:
    """One platform behind a uvicorn server on 127.0.0.1, started and stopped from sync code."""

    backends: Backends
    data_dir: Path
    settings_extra: dict[str, Any] = field(default_factory=dict)
    # Settings for the services alone (e.g. the in-process fakes `make run` switches on).
    service_overrides: dict[str, Any] = field(default_factory=dict)
    base_url: str = ""
    admin_headers: dict[str, str] = field(default_factory=dict)
    admin_password: str = ADMIN_PASSWORD
    _server: uvicorn.Server | None = None
    _thread: threading.Thread | None = None
    _isolation: Isolation | None = None

    def start(self, timeout: float = 120.0) -> ServedPlatform:
        self._isolation = Isolation.new(self.backends, self.data_dir)
        settings = gateway_settings(self._isolation.overrides(), generate_keypair()[0], **self.settings_extra)
        app = build_platform(settings, service_overrides=self.service_overrides or None)
        # Bound here, not by uvicorn: a port picked and then bound later may be taken in between.
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        port = int(listener.getsockname()[1])
        config = uvicorn.Config(app, log_config=None, access_log=False, lifespan="on")
        server = self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=lambda: server.run(sockets=[listener]), name="served-platform", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive():
                raise RuntimeError("the platform failed to start (see the log above)")
            if time.monotonic() > deadline:
                raise TimeoutError("the platform did not start in time")
            time.sleep(0.05)
        self.base_url = f"http://127.0.0.1:{port}"
        self.admin_headers = self.login("admin", self.admin_password)
        return self

    def login(self, username: str, password: str) -> dict[str, str]:
        response = httpx.post(f"{self.base_url}/api/auth/token", data={"username": username, "password": password})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=60, **kwargs)

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=60)
        if self._isolation is not None:
            # On a thread of its own: the caller may have a loop running (Playwright's sync API does).
            isolation = self._isolation
            cleanup = threading.Thread(target=lambda: asyncio.run(isolation.cleanup()), name="served-cleanup")
            cleanup.start()
            cleanup.join(timeout=120)
