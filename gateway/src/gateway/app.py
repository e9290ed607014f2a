"""The gateway app: one entry point for the platform (GW-1 … GW-5)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Any

import httpx
from fastapi import FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from prometheus_client import CONTENT_TYPE_LATEST

from clinic_shared.auth import TokenVerifier
from clinic_shared.bus import EventBus, make_bus
from clinic_shared.db import Database
from clinic_shared.errors import install_error_handlers
from clinic_shared.http import make_client
from clinic_shared.logging import get_logger
from clinic_shared.middleware import HttpMetrics, RequestContextMiddleware
from clinic_shared.migrations import upgrade
from clinic_shared.openapi import operation_id
from clinic_shared.query import REFUSE_UNKNOWN_QUERY
from clinic_shared.service import gateway_notices
from clinic_shared.tasks import wait_event
from clinic_shared.tracing import FASTAPI_TELEMETRY
from clinic_shared.tracing import install as install_tracing
from gateway import auth_router, docs, live, platform_router, proxy, web
from gateway import messages_ru as _messages_ru  # noqa: F401  (the Russian texts)
from gateway import problem_types as _problem_types  # noqa: F401  (the problem codes)
from gateway import users as user_service
from gateway.edge import EdgeMiddleware
from gateway.metrics import RouteLabels, RouteTable
from gateway.metrics import exposition as metrics_exposition
from gateway.openapi import fetch_service_docs, platform_document
from gateway.platform import Platform
from gateway.ratelimit import LoginThrottle, PublicRateLimits, prune_counters
from gateway.runtime import GatewayRuntime, get_gateway, public_key_of
from gateway.sessions import Sessions
from gateway.settings import GatewaySettings
from gateway.upstream import UpstreamTransport

log = get_logger(__name__)
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
SETTINGS_CLASS = GatewaySettings  # like every service's app module (`python -m clinic_shared.migrate gateway`)


def password_hasher(settings: GatewaySettings) -> user_service.Passwords:
    return user_service.Passwords(
        time_cost=settings.password_hash_time_cost, memory_kib=settings.password_hash_memory_kib
    )


async def prepare_database(db: Database, settings: GatewaySettings) -> None:
    """What a gateway start does first: its migrations (unless CLINIC_RUN_MIGRATIONS=false), the
    default roles and the first admin. Several worker processes (CLINIC_WORKERS) have their parent
    do it before they start (gateway.__main__), so they find it done instead of racing on it."""
    if settings.run_migrations:
        await upgrade(db, MIGRATIONS)
    async with db.session() as session:
        admin_password = settings.admin_password.get_secret_value() if settings.admin_password else None
        if await user_service.seed(session, password_hasher(settings), admin_password=admin_password):
            log.info("gateway.admin_created")


def create_app(
    settings: GatewaySettings | None = None,
    *,
    embedded_apps: dict[str, FastAPI] | None = None,
) -> FastAPI:
    """The gateway. With `embedded_apps` it serves those services in-process (embedded mode);
    otherwise it forwards to `settings.service_urls` over HTTP (distributed mode)."""
    settings = settings or GatewaySettings()
    if settings.jwt_private_key is None:
        raise RuntimeError("CLINIC_JWT_PRIVATE_KEY is not set: the gateway cannot sign tokens.")
    private_key = settings.jwt_private_key.get_secret_value()
    embedded_apps = embedded_apps or {}

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            db = Database(settings)
            stack.push_async_callback(db.dispose)
            await prepare_database(db, settings)
            passwords = password_hasher(settings)
            # Embedded services start before the gateway answers, and stop after it.
            for service_app in embedded_apps.values():
                await stack.enter_async_context(service_app.router.lifespan_context(service_app))
            clients = {
                name: make_client(
                    f"http://{name}",
                    transport=httpx.ASGITransport(app=service_app),
                    timeout=settings.proxy_timeout_seconds,
                )
                for name, service_app in embedded_apps.items()
            }
            clients.update(
                {
                    name: make_client(
                        url,
                        timeout=settings.proxy_timeout_seconds,
                        transport=UpstreamTransport(retries=settings.http_retries),
                    )
                    for name, url in settings.service_urls.items()
                    if name not in clients and (settings.services is None or name in settings.services)
                }
            )
            for client in clients.values():
                stack.push_async_callback(client.aclose)
            # The proxied calls' route labels: the embedded apps' routes, the others' documents.
            for name, service_app in embedded_apps.items():
                app.state.route_labels.learn_later(name, partial(RouteTable.from_app, service_app))
            remote = {name: client for name, client in clients.items() if name not in embedded_apps}
            await stack.enter_async_context(app.state.route_labels.kept_current(remote))
            sessions = Sessions(settings, private_key, app.state.token_verifier)
            platform = Platform(settings)
            app.state.gateway = GatewayRuntime(
                settings=settings,
                db=db,
                private_key=private_key,
                clients=clients,
                throttle=LoginThrottle(
                    max_failures=settings.login_max_failures,
                    window_seconds=settings.login_window_seconds,
                    max_failures_per_address=settings.login_max_failures_per_address,
                    max_delay_seconds=settings.login_max_delay_seconds,
                ),
                passwords=passwords,
                sessions=sessions,
                public_limits=PublicRateLimits(
                    per_client_minute=settings.public_requests_per_minute,
                    writes_per_client_hour=settings.public_bookings_per_hour,
                    per_key_minute=settings.public_key_requests_per_minute,
                ),
                platform=platform,
            )
            await stack.enter_async_context(_broadcasts(app, settings, db, sessions, platform))
            log.info("gateway.started", services=sorted(clients))
            yield

    app = FastAPI(
        title="Clinic platform API",
        description="Patients, scheduling, notifications, ONDOC, occupational exams and lab, behind one gateway.",
        version="0.1.0",
        lifespan=lifespan,
        openapi_url=None,
        generate_unique_id_function=operation_id,
        docs_url=None,
        redoc_url=None,
        telemetry=FASTAPI_TELEMETRY,
    )
    app.state.settings = settings
    app.state.token_verifier = TokenVerifier.from_settings(public_key_of(private_key), settings)
    install_error_handlers(app)
    metrics = HttpMetrics("gateway", upstream=True)
    app.state.route_labels = RouteLabels()
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["*"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID", "X-Api-Key", "Idempotency-Key", "If-Match"],
            expose_headers=["X-Request-ID", "Retry-After", "ETag"],
            max_age=600,
        )
    app.add_middleware(EdgeMiddleware, settings=settings)
    app.add_middleware(RequestContextMiddleware, service="gateway", metrics=metrics)
    install_tracing(app, service="gateway", settings=settings)  # outermost: its context covers the access log

    @app.get(
        "/api/health",
        tags=["meta"],
        summary="Readiness of the gateway and every service",
        responses={
            200: {"content": {"application/json": {"example": {"status": "ok", "services": {"gateway": "ok"}}}}},
            503: {"description": "a service or the gateway's database is unavailable"},
        },
    )
    async def get_health(request: Request) -> JSONResponse:
        gateway = get_gateway(request)
        names = sorted(gateway.clients)

        async def check(name: str) -> str:
            try:
                response = await gateway.clients[name].get("/health", timeout=3)
                return "ok" if response.status_code == 200 else "unavailable"
            except httpx.HTTPError:
                return "unavailable"

        states = dict(zip(names, await asyncio.gather(*(check(n) for n in names)), strict=True))
        states["gateway"] = "ok" if await gateway.db.ping() else "unavailable"
        ok = all(state == "ok" for state in states.values())
        return JSONResponse({"status": "ok" if ok else "degraded", "services": states}, status_code=200 if ok else 503)

    @app.get("/health", include_in_schema=False)
    async def own_health(request: Request) -> JSONResponse:
        """Readiness of this gateway process alone (its database), for Kubernetes probes.

        `/api/health` asks every service; as a probe it would take every gateway pod out of
        the load balancer, and so the whole API down, when a single service is unavailable.
        """
        gateway: GatewayRuntime | None = getattr(request.app.state, "gateway", None)
        ok = gateway is not None and await gateway.db.ping()
        return JSONResponse(
            {"status": "ok" if ok else "unavailable", "service": "gateway"}, status_code=200 if ok else 503
        )

    @app.get("/api/openapi.json", include_in_schema=False)
    async def openapi_document(request: Request) -> JSONResponse:
        return JSONResponse(await _merged_openapi(app, get_gateway(request)))

    @app.get("/metrics", include_in_schema=False)
    async def metrics_endpoint(request: Request) -> Response:
        # Embedded mode: every service's metrics too (one process, one port to scrape).
        gateway: GatewayRuntime | None = getattr(request.app.state, "gateway", None)
        services = {name: gateway.clients[name] for name in embedded_apps} if gateway is not None else {}
        return Response(await metrics_exposition(metrics.registry, services), media_type=CONTENT_TYPE_LATEST)

    app.mount(docs.ASSETS_URL, docs.assets(), name="docs-assets")
    app.include_router(docs.router)
    app.include_router(auth_router.router, dependencies=[REFUSE_UNKNOWN_QUERY])
    app.include_router(platform_router.router, dependencies=[REFUSE_UNKNOWN_QUERY])
    live.install(app)  # GET /api/events/stream (gateway/live), before the proxy's catch-all
    app.include_router(proxy.router)
    web.install(app, settings)  # `/` and the app's own routes: after every /api route
    return app


@asynccontextmanager
async def _broadcasts(
    app: FastAPI, settings: GatewaySettings, db: Database, sessions: Sessions, platform: Platform
) -> AsyncIterator[None]:
    """The bus the gateway's notices to every process go out on — revocations
    (gateway/sessions.py) and the platform settings (gateway/platform.py) — and the task that
    repeats them every `broadcast_seconds`.

    Embedded mode shares the platform's in-process bus. Otherwise the gateway connects to
    RabbitMQ itself when `amqp_url` is set; if the broker is away at start it keeps trying in
    the background (the API does not wait for it: gateway replicas still agree through the
    database, and the services catch up with the next repetition once it is back)."""
    shared: EventBus | None = getattr(app.state, "bus", None)
    own: EventBus | None = None if shared is not None or not settings.amqp_url else make_bus(settings)
    stop = asyncio.Event()
    on_broadcast = gateway_notices(settings, app.state.token_verifier)

    async def connect() -> None:
        assert own is not None
        delay = 1.0
        while not stop.is_set():
            try:
                await own.start()
                await own.subscribe_broadcasts("gateway", on_broadcast)
                sessions.bus = platform.bus = own
                return
            except Exception as exc:
                log.warning("gateway.bus_unavailable", error=type(exc).__name__, retry_in=delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 30.0)

    async def repeat() -> None:
        while not stop.is_set():
            for one_pass in (sessions.repeat, platform.repeat):
                try:
                    await one_pass(db)
                except Exception as exc:  # the database may be away for a while; keep trying
                    log.warning("gateway.broadcast_pass_failed", error=type(exc).__name__)
            await wait_event(stop, settings.broadcast_seconds)

    tasks: list[asyncio.Task[None]] = []
    if shared is not None:
        await shared.subscribe_broadcasts("gateway", on_broadcast)
        sessions.bus = platform.bus = shared
    elif own is not None:
        tasks.append(asyncio.create_task(connect(), name="gateway-bus"))
    await platform.repeat(db)  # the stored zone before the first request
    tasks.append(asyncio.create_task(repeat(), name="broadcasts"))
    tasks.append(asyncio.create_task(_prune_counters(db, stop), name="counters"))
    try:
        yield
    finally:
        stop.set()
        for task in tasks:
            if task.get_name() == "gateway-bus":
                task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        if own is not None:
            await own.close()


async def _prune_counters(db: Database, stop: asyncio.Event, every_seconds: float = 600.0) -> None:
    while not stop.is_set():
        try:
            async with db.session() as session:
                await prune_counters(session)
        except Exception as exc:
            log.warning("gateway.counters.prune_failed", error=type(exc).__name__)
        await wait_event(stop, every_seconds)


async def _merged_openapi(app: FastAPI, gateway: GatewayRuntime) -> dict[str, Any]:
    cached: dict[str, Any] | None = getattr(app.state, "merged_openapi", None)
    if cached is not None:
        return cached
    service_docs = await fetch_service_docs(gateway.clients)
    document = platform_document(app.openapi(), service_docs)
    if set(service_docs) == set(gateway.clients):
        app.state.merged_openapi = document  # complete: cache it; otherwise try again next time
    return document
