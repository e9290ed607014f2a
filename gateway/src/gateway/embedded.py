"""Embedded mode (`make run`): the whole platform in one process, nothing to install.

Every service's app runs in this process behind the gateway (reached through
`httpx.ASGITransport`), each with its own SQLite file under the data directory, sharing one
in-process bus. The same factories, routers and handlers run in distributed mode.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import os
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from clinic_shared.auth import generate_keypair
from clinic_shared.bus import EventBus, InProcessBus
from clinic_shared.logging import configure_logging, get_logger
from clinic_shared.runner import freeze_startup_objects
from gateway.app import create_app
from gateway.runtime import public_key_of
from gateway.service_keys import own_call_rights, service_keys
from gateway.settings import KNOWN_SERVICES, GatewaySettings, proxy_options

log = get_logger(__name__)

# Settings every embedded service inherits from the gateway's.
INHERITED = (
    "data_dir",
    "database_url",
    "amqp_url",
    "events_exchange",
    "queue_prefix",
    "db_schema_prefix",
    "jwt_issuer",
    "jwt_audience",
    "timezone",
    "log_level",
    "demo_data",
    "outbox_poll_seconds",
    "consumer_max_attempts",
    "secrets_key",
    "outbound_allow_private",
)


def installed_services(requested: list[str] | None = None) -> list[str]:
    """Services whose packages are installed (optionally only those requested)."""
    names = requested if requested is not None else list(KNOWN_SERVICES)
    unknown = [n for n in names if n not in KNOWN_SERVICES]
    if unknown:
        raise ValueError(f"unknown service(s): {', '.join(unknown)}")
    return [n for n in names if importlib.util.find_spec(KNOWN_SERVICES[n]) is not None]


def build_platform(
    settings: GatewaySettings,
    *,
    services: list[str] | None = None,
    service_overrides: dict[str, Any] | None = None,
    bus: EventBus | None = None,
) -> FastAPI:
    """The gateway with the chosen services mounted in-process."""
    if settings.jwt_private_key is None:
        raise RuntimeError("build_platform needs settings.jwt_private_key")
    public_key = public_key_of(settings.jwt_private_key.get_secret_value())
    names = installed_services(services if services is not None else settings.services)
    # Services that call others on their own behalf get a key of their own, fresh on every start
    # (their tokens live minutes): never the gateway's, even in one process.
    own_keys = service_keys(own_call_rights(names))
    settings = settings.model_copy(update={"service_keys": {**settings.service_keys, **own_keys.trusted}})
    common = {name: getattr(settings, name) for name in INHERITED}
    common["jwt_public_key"] = SecretStr(public_key)
    common["service_keys"] = settings.service_keys
    common.update(service_overrides or {})
    if not common.get("amqp_url") and bus is None:
        bus = InProcessBus(max_attempts=settings.consumer_max_attempts)
    apps: dict[str, FastAPI] = {}
    for name in names:
        module = importlib.import_module(f"{KNOWN_SERVICES[name]}.app")
        own_key = own_keys.private_keys.get(name)
        service_settings = module.SETTINGS_CLASS(
            **common, **({"service_private_key": SecretStr(own_key)} if own_key else {})
        )
        apps[name] = module.create_app(service_settings, bus=bus if not common.get("amqp_url") else None)
    for service_app in apps.values():
        service_app.state.peer_apps = apps  # services call each other in-process
    app = create_app(settings, embedded_apps=apps)
    app.state.bus = bus
    app.state.embedded_apps = apps
    return app


def ensure_keys(data_dir: Path) -> str:
    """The embedded gateway's signing key, made on first start and kept under the data dir."""
    key_file = data_dir / "keys" / "jwt-ed25519.pem"
    if not key_file.exists():
        key_file.parent.mkdir(parents=True, exist_ok=True)
        private_pem, _ = generate_keypair()
        key_file.write_text(private_pem)
        key_file.chmod(0o600)
    return key_file.read_text()


def embedded_settings(**overrides: Any) -> GatewaySettings:
    """Gateway settings for embedded mode: the defaults that only this mode may have."""
    settings = GatewaySettings(**overrides)
    if settings.jwt_private_key is None:
        settings.jwt_private_key = SecretStr(ensure_keys(settings.data_dir))
    if settings.admin_password is None:
        settings.admin_password = SecretStr("admin")
    if "CLINIC_DEMO_DATA" not in os.environ and "demo_data" not in overrides:
        settings.demo_data = True
    # A developer's machine: local fakes (`make fake-ondoc`, lab.fake_lab) listen on 127.0.0.1.
    if "CLINIC_OUTBOUND_ALLOW_PRIVATE" not in os.environ and "outbound_allow_private" not in overrides:
        settings.outbound_allow_private = True
    return settings


def offline_openapi_document() -> dict[str, Any]:
    """The merged OpenAPI document (what `GET /api/openapi.json` serves), built without starting
    anything: for the generated clients (`make web-api`) and for tests that need the operations
    before a server runs (a test checks that the served document is the same)."""
    from gateway.openapi import platform_document

    with tempfile.TemporaryDirectory() as data_dir:
        settings = GatewaySettings(
            data_dir=Path(data_dir),
            demo_data=False,
            jwt_private_key=SecretStr(generate_keypair()[0]),
            admin_password=SecretStr("x" * 12),
        )
        app = build_platform(settings)
        services = {name: service.openapi() for name, service in app.state.embedded_apps.items()}
        return platform_document(app.openapi(), services)


def main() -> None:
    parser = argparse.ArgumentParser(description="Run the whole clinic platform in one process.")
    parser.add_argument("--host", default=None)
    parser.add_argument("--port", type=int, default=None)
    args = parser.parse_args()
    settings = embedded_settings()
    host, port = args.host or settings.host, args.port or settings.port
    configure_logging(settings.log_level, settings.log_format)
    # Embedded mode runs the fake SMS provider, SMTP sink, ONDOC and lab in-process, so every
    # feature can be clicked through with nothing installed (env variables still win).
    fakes = {
        name: os.environ.get(f"CLINIC_{name.upper()}", "1") not in ("0", "false", "False")
        for name in ("notifier_fakes", "ondoc_fake", "lab_fake_exchange")
    }
    app = build_platform(settings, service_overrides=fakes)
    inner = app.router.lifespan_context

    @asynccontextmanager
    async def announce(app_: FastAPI) -> AsyncIterator[None]:
        async with inner(app_):
            url = f"http://{host}:{port}"
            print(
                f"\n  Clinic platform is up (embedded mode, data in {settings.data_dir.resolve()})\n"
                f"  API:    {url}/api\n  Docs:   {url}/api/docs\n  Health: {url}/api/health\n"
                f"  Login:  admin / {'(CLINIC_ADMIN_PASSWORD)' if 'CLINIC_ADMIN_PASSWORD' in os.environ else 'admin'}"
                f"  → POST {url}/api/auth/token\n",
                flush=True,
            )
            yield

    app.router.lifespan_context = announce
    freeze_startup_objects()
    config = uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False, **proxy_options(settings))
    asyncio.run(uvicorn.Server(config).serve())


if __name__ == "__main__":
    main()
