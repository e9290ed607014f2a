"""The notifier service: automatic SMS and Email, Imobis chat-bot channels (NOT-1 … NOT-9)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from clinic_shared.bus import EventBus
from clinic_shared.service import ServiceRuntime, ServiceSpec, create_service_app
from notifier import messages_ru, problem_types  # noqa: F401  (Russian texts and problem types of the errors)
from notifier.clock import CLOCK_KEY, SystemClock
from notifier.config.router import router as settings_router
from notifier.consumers import build_handlers
from notifier.context import NotifierContext
from notifier.delivery.resources import open_resources
from notifier.delivery.router import router as fakes_router
from notifier.delivery.worker import Worker
from notifier.messages.metrics import METRICS as MESSAGE_METRICS
from notifier.messages.router import router as messages_router
from notifier.models import EVENTS, Base, load_models
from notifier.rights import RIGHTS
from notifier.schedules.router import router as schedules_router
from notifier.settings import NotifierSettings
from notifier.templates.router import router as templates_router

SETTINGS_CLASS = NotifierSettings
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
CONTEXT_KEY = "notifier"


def create_app(settings: NotifierSettings | None = None, *, bus: EventBus | None = None) -> FastAPI:
    """The notifier FastAPI app; paths have no /api/notifier prefix (the gateway adds it)."""
    load_models()
    settings = settings or NotifierSettings()
    context = NotifierContext(settings=settings)

    async def start(runtime: ServiceRuntime) -> None:
        runtime.state.setdefault(CLOCK_KEY, context.clock_override or SystemClock())
        runtime.state[CONTEXT_KEY] = context
        context.resources = await open_resources(settings, runtime)
        context.worker = Worker(context.resources)
        context.worker.start()

    async def stop(runtime: ServiceRuntime) -> None:
        if context.worker is not None:
            await context.worker.stop()
        if context.resources is not None:
            await context.resources.close()

    spec = ServiceSpec(
        name="notifier",
        title="Notifier",
        description="Automatic SMS and Email: settings, mailing schedules, templates, message log.",
        metadata=Base.metadata,
        events=EVENTS,
        migrations=MIGRATIONS,
        routers=[settings_router, schedules_router, templates_router, messages_router, fakes_router],
        rights=RIGHTS,
        handlers=build_handlers(settings, now=context.now, wake=context.wake_worker),
        on_startup=[start],
        on_shutdown=[stop],
        metrics=MESSAGE_METRICS,
    )
    app = create_service_app(spec, settings, bus=bus)
    app.state.notifier = context
    return app
