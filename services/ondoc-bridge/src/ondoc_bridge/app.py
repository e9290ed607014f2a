"""The ONDOC bridge: attach codes, links, appointment sync, booking callbacks, directories
(OND-1 … OND-10, GW-5)."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from clinic_shared.bus import EventBus
from clinic_shared.logging import get_logger
from clinic_shared.service import ServiceRuntime, ServiceSpec, create_service_app
from ondoc_bridge import (
    messages_ru,  # noqa: F401  (the Russian texts)
    problem_types,  # noqa: F401  (the problem codes)
)
from ondoc_bridge.attach.router import router as attach_router
from ondoc_bridge.callbacks.router import router as callbacks_router
from ondoc_bridge.config import service as config_service
from ondoc_bridge.config.router import router as settings_router
from ondoc_bridge.deps import CLIENTS_KEY
from ondoc_bridge.directories.router import router as directories_router
from ondoc_bridge.directories.worker import DirectoryRefresher
from ondoc_bridge.events import HANDLERS
from ondoc_bridge.fake_ondoc import FakeConfig, create_fake_app
from ondoc_bridge.fake_ondoc.mount import StaffOnlyControl
from ondoc_bridge.links.router import router as links_router
from ondoc_bridge.models import EVENTS, Base, load_models
from ondoc_bridge.ondoc.http_adapter import OndocClients
from ondoc_bridge.outbound.metrics import METRICS as OUTBOUND_METRICS
from ondoc_bridge.outbound.router import router as outbound_router
from ondoc_bridge.outbound.worker import OutboundWorker
from ondoc_bridge.rights import RIGHTS, SETTINGS
from ondoc_bridge.settings import OndocSettings

log = get_logger(__name__)
SETTINGS_CLASS = OndocSettings
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
FAKE_MOUNT = "/fake-ondoc"
# What the bridge's own calls may do: book and cancel in scheduling, read cards in patients.
PEER_RIGHTS = ["scheduling.read", "scheduling.write", "scheduling.delete", "patients.read"]


def create_app(settings: OndocSettings | None = None, *, bus: EventBus | None = None) -> FastAPI:
    """The bridge's FastAPI app; paths have no /api/ondoc prefix (the gateway adds it).

    With `ondoc_fake` the fake ONDOC runs in-process: the bridge reaches it through an ASGI
    transport at `FAKE_SERVER_URL`, its callbacks come straight back to this app, and its
    API is mounted at /fake-ondoc for developers and tests — its /_control and /docs only
    for staff holding `ondoc.settings` (see fake_ondoc/mount.py).
    """
    load_models()
    settings = settings or OndocSettings()
    fake_app: FastAPI | None = None

    async def start(runtime: ServiceRuntime) -> None:
        """Seed the settings, build the ONDOC clients, start the worker and the refresh task."""
        if settings.ondoc_fake:
            # Its /_control endpoints sign callbacks (staff only, but still): development and tests only.
            log.warning("ondoc.fake.enabled", mount=FAKE_MOUNT)
        async with runtime.db.session() as session:
            await config_service.seed(session, time_zone=settings.timezone, fake=settings.ondoc_fake)
        transport = httpx.ASGITransport(app=fake_app) if fake_app is not None else None
        clients = OndocClients(
            timeout=settings.ondoc_timeout_seconds,
            fake_transport=transport,
            allow_private=settings.outbound_allow_private,
        )
        worker = OutboundWorker(runtime, clients, settings)
        refresher = DirectoryRefresher(runtime, clients, settings)
        runtime.db.on_commit(worker.wake)
        runtime.state.update({CLIENTS_KEY: clients, "ondoc_worker": worker, "ondoc_refresher": refresher})
        worker.start()
        refresher.start()

    async def stop(runtime: ServiceRuntime) -> None:
        """Stop the background tasks and close the ONDOC clients."""
        await runtime.state["ondoc_refresher"].stop()
        await runtime.state["ondoc_worker"].stop()
        await runtime.state[CLIENTS_KEY].aclose()

    spec = ServiceSpec(
        name="ondoc",
        title="ONDOC bridge",
        description="ONDOC patient portal: attach codes, linked patients, appointment sync, "
        "booking callbacks, directory uploads.",
        metadata=Base.metadata,
        events=EVENTS,
        migrations=MIGRATIONS,
        routers=[
            settings_router,
            attach_router,
            links_router,
            outbound_router,
            directories_router,
            callbacks_router,
        ],
        rights=RIGHTS,
        handlers=HANDLERS,
        on_startup=[start],
        on_shutdown=[stop],
        peer_rights=PEER_RIGHTS,
        metrics=OUTBOUND_METRICS,
    )
    app = create_service_app(spec, settings, bus=bus)
    if settings.ondoc_fake:
        fake_app = create_fake_app(
            FakeConfig(
                company_token=config_service.FAKE_COMPANY_TOKEN,
                branch_token=config_service.FAKE_BRANCH_TOKEN,
                callback_secret=config_service.FAKE_CALLBACK_SECRET,
                callback_url="http://ondoc/callbacks",
            ),
            callback_transport=httpx.ASGITransport(app=app),
        )
        guarded = StaffOnlyControl(
            fake_app, verifier=lambda: getattr(app.state, "token_verifier", None), right=SETTINGS
        )
        app.mount(FAKE_MOUNT, guarded)
        app.state.fake_ondoc = fake_app
    return app
