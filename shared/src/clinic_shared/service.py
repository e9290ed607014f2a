"""`create_service_app`: what every service's FastAPI app is made of.

A service describes itself with a `ServiceSpec` (routers, rights, models, event handlers,
startup hooks) and gets: problem-details errors, request ids and access logs, `/health`,
`/metrics`, `/_meta/rights`, migrations on start, its database, the bus, the outbox relay and
its event consumer — built in the lifespan, never at import.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, cast

import httpx
from fastapi import APIRouter, Depends, FastAPI, Request, Response
from prometheus_client import generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import TokenVerifier, sign_service_token
from clinic_shared.bus import BroadcastHandler, EventBus, InProcessBus, make_bus
from clinic_shared.clinic_time import PLATFORM_SETTINGS_TOPIC, apply_platform_settings, set_clinic_zone
from clinic_shared.db import Database
from clinic_shared.errors import ServiceUnavailable, install_error_handlers
from clinic_shared.events import EventData, new_event
from clinic_shared.http import make_client
from clinic_shared.logging import get_logger
from clinic_shared.metrics import ServiceGauges, ServiceMetric
from clinic_shared.middleware import HttpMetrics, RequestContextMiddleware
from clinic_shared.migrations import upgrade
from clinic_shared.openapi import operation_id
from clinic_shared.outbox import EventConsumer, EventTables, Handler, OutboxRelay
from clinic_shared.problems import language_var
from clinic_shared.query import REFUSE_UNKNOWN_QUERY
from clinic_shared.secretbox import SecretBoxError, stores_secrets
from clinic_shared.settings import ServiceSettings
from clinic_shared.tracing import FASTAPI_TELEMETRY
from clinic_shared.tracing import install as install_tracing

log = get_logger(__name__)

Hook = Callable[["ServiceRuntime"], Awaitable[None]]


@dataclass
class ServiceSpec:
    """Everything that makes one service."""

    name: str
    title: str
    metadata: MetaData
    events: EventTables
    migrations: Path
    routers: list[APIRouter]
    rights: dict[str, str]
    handlers: dict[str, Handler] = field(default_factory=dict)
    on_startup: list[Hook] = field(default_factory=list)
    on_shutdown: list[Hook] = field(default_factory=list)
    description: str = ""
    version: str = "0.1.0"
    peer_rights: list[str] = field(default_factory=list)  # rights of this service's own calls to others
    metrics: list[ServiceMetric] = field(default_factory=list)  # its own gauges on /metrics (see metrics.py)


@dataclass
class ServiceRuntime:
    """Resources of a running service, reachable from requests as `request.app.state.runtime`."""

    spec: ServiceSpec
    settings: ServiceSettings
    db: Database
    bus: EventBus
    relay: OutboxRelay
    state: dict[str, Any] = field(default_factory=dict)

    async def publish(
        self,
        session: AsyncSession,
        event_type: str,
        data: EventData,
        *,
        aggregate_id: Any,
        aggregate_version: int,
    ) -> None:
        """Queue an event in the caller's transaction (the transactional outbox)."""
        envelope = new_event(
            event_type, data, producer=self.spec.name, aggregate_id=aggregate_id, aggregate_version=aggregate_version
        )
        await self.spec.events.add(session, envelope)

    def peer(self, name: str, *, authorization: str | None = None) -> PeerClient:
        """A client for another service (in-process in embedded mode, HTTP otherwise).

        Pass the caller's `Authorization` header to act as the user; without it the call
        carries this service's own token (needs `service_private_key`, see `service_token`).
        The underlying connection pool is shared; the credentials are per call.
        """
        client = self.state.get(f"peer:{name}")
        if client is None:
            peer_apps: dict[str, Any] = self.state.get("peer_apps", {})
            if name in peer_apps:
                client = make_client(
                    f"http://{name}",
                    transport=httpx.ASGITransport(app=peer_apps[name]),
                    timeout=self.settings.http_timeout_seconds,
                )
            elif name in self.settings.service_urls:
                client = make_client(
                    self.settings.service_urls[name],
                    timeout=self.settings.http_timeout_seconds,
                    retries=self.settings.http_retries,
                )
            else:
                raise ServiceUnavailable(f"The {name} service is not configured (CLINIC_{name.upper()}_URL).")
            self.state[f"peer:{name}"] = client
        return PeerClient(client, authorization or f"Bearer {self.service_token()}")

    def service_token(self, ttl_seconds: int = 300) -> str:
        """A short-lived token for calls this service makes on its own behalf.

        Signed with the service's own key (never the gateway's): the others accept it only with
        the rights their `service_keys` entry for this service lists."""
        if self.settings.service_private_key is None:
            raise ServiceUnavailable(
                f"{self.spec.name} has no key for calls on its own behalf (CLINIC_SERVICE_PRIVATE_KEY)."
            )
        return sign_service_token(
            self.settings.service_private_key.get_secret_value(),
            service=self.spec.name,
            rights=self.spec.peer_rights,
            audience=self.settings.jwt_audience,
            ttl_seconds=ttl_seconds,
        )


class PeerClient:
    """httpx-like calls to another service with one caller's credentials on every request."""

    def __init__(self, client: httpx.AsyncClient, authorization: str) -> None:
        self._client = client
        self._authorization = authorization

    async def request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        # The caller's language goes along: a refusal passed on reads like the rest of the answer.
        headers = {
            "Accept-Language": language_var.get(),
            **(kwargs.pop("headers", None) or {}),
            "Authorization": self._authorization,
        }
        return await self._client.request(method, url, headers=headers, **kwargs)

    async def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("GET", url, **kwargs)

    async def post(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("POST", url, **kwargs)

    async def put(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PUT", url, **kwargs)

    async def patch(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("PATCH", url, **kwargs)

    async def delete(self, url: str, **kwargs: Any) -> httpx.Response:
        return await self.request("DELETE", url, **kwargs)


def create_service_app(
    spec: ServiceSpec,
    settings: ServiceSettings,
    *,
    bus: EventBus | None = None,
) -> FastAPI:
    """Build the FastAPI app of a service. Pass `bus` to share one (embedded mode, tests)."""
    metrics = HttpMetrics(spec.name)
    gauges = ServiceGauges(spec.name, metrics.registry, spec.metrics)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = Database(settings)
        if stores_secrets(spec.metadata):
            # Refuse to start now, with the reason, rather than fail on the first settings read.
            try:
                db.secret_box()
            except SecretBoxError as exc:
                log.error("service.secrets_key_unusable", service=spec.name, reason=str(exc))
                await db.dispose()
                raise
        if settings.run_migrations:
            await upgrade(db, spec.migrations)
        own_bus = bus is None
        event_bus = bus if bus is not None else make_bus(settings)
        if own_bus:
            await event_bus.start()
        set_clinic_zone(settings.timezone)  # until the gateway's broadcast says otherwise
        verifier: TokenVerifier | None = getattr(app.state, "token_verifier", None)

        await event_bus.subscribe_broadcasts(spec.name, gateway_notices(settings, verifier))
        relay = OutboxRelay(db, spec.events, event_bus, poll_seconds=settings.outbox_poll_seconds)
        runtime = ServiceRuntime(spec=spec, settings=settings, db=db, bus=event_bus, relay=relay)
        runtime.state["peer_apps"] = getattr(app.state, "peer_apps", {})
        app.state.runtime = runtime
        if spec.handlers:
            consumer = EventConsumer(spec.name, db, spec.events, spec.handlers)
            await event_bus.subscribe(spec.name, consumer.patterns, consumer.handle)
        relay.start()
        for hook in spec.on_startup:
            await hook(runtime)
        log.info(
            "service.started",
            service=spec.name,
            database="postgresql" if db.is_postgres else "sqlite",
            bus="in-process" if isinstance(event_bus, InProcessBus) else "rabbitmq",
        )
        try:
            yield
        finally:
            for hook in reversed(spec.on_shutdown):
                try:
                    await hook(runtime)
                except Exception:
                    log.exception("service.shutdown_hook_failed", service=spec.name)
            await relay.stop()
            await gauges.close()
            for key, value in list(runtime.state.items()):
                if key.startswith("peer:"):
                    await value.aclose()
            if own_bus:
                await event_bus.close()
            await db.dispose()

    app = FastAPI(
        title=spec.title,
        description=spec.description,
        version=spec.version,
        lifespan=lifespan,
        dependencies=[REFUSE_UNKNOWN_QUERY],
        generate_unique_id_function=operation_id,
        telemetry=FASTAPI_TELEMETRY,
    )
    app.state.settings = settings
    app.state.spec = spec
    if settings.jwt_public_key is not None:
        app.state.token_verifier = TokenVerifier.from_settings(settings.jwt_public_key.get_secret_value(), settings)
    install_error_handlers(app)
    app.add_middleware(RequestContextMiddleware, service=spec.name, metrics=metrics)
    install_tracing(app, service=spec.name, settings=settings)

    @app.get("/health", tags=["meta"], include_in_schema=False)
    async def health(request: Request) -> Response:
        runtime: ServiceRuntime | None = getattr(request.app.state, "runtime", None)
        ok = runtime is not None and await runtime.db.ping()
        status = "ok" if ok else "unavailable"
        return Response(
            json.dumps({"status": status, "service": spec.name}),
            status_code=200 if ok else 503,
            media_type="application/json",
        )

    @app.get("/metrics", include_in_schema=False)
    async def metrics_endpoint(request: Request) -> Response:
        # Never fails: a source that cannot be read keeps its last value (see metrics.py).
        await gauges.scrape(getattr(request.app.state, "runtime", None))
        return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)

    @app.get("/_meta/rights", include_in_schema=False)
    async def rights() -> dict[str, str]:
        return spec.rights

    for router in spec.routers:
        app.include_router(router)
    return app


def gateway_notices(settings: Any, verifier: TokenVerifier | None) -> BroadcastHandler:
    """The receiver of the gateway's notices to every process (the gateway's own included):
    ended sessions (gateway/sessions.py) and the platform settings (gateway/platform.py)."""

    async def receive(topic: str, payload: dict[str, Any]) -> None:
        if topic == PLATFORM_SETTINGS_TOPIC:
            apply_platform_settings(settings, payload)
        elif verifier is not None:
            await verifier.receive_broadcast(topic, payload)

    return receive


def get_runtime(request: Request) -> ServiceRuntime:
    return cast(ServiceRuntime, request.app.state.runtime)


async def _runtime(request: Request) -> ServiceRuntime:
    # async: FastAPI runs a plain `def` dependency in a worker thread, a hop per request for a lookup.
    return get_runtime(request)


async def _session(request: Request) -> AsyncIterator[AsyncSession]:
    async with get_runtime(request).db.session() as session:
        yield session


RuntimeDep = Annotated[ServiceRuntime, Depends(_runtime)]
# scope="function": the unit of work commits before the response is sent, so a client that
# got 201 can read what it created, and a failed commit becomes the error answer.
SessionDep = Annotated[AsyncSession, Depends(_session, scope="function")]
