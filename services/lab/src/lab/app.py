"""The lab service: external labs, tests, links, orders, labels, results, exchange, visits (LAB-1 … LAB-9)."""

from __future__ import annotations

from pathlib import Path

import httpx
from fastapi import FastAPI

from clinic_shared.bus import EventBus
from clinic_shared.service import ServiceRuntime, ServiceSpec, create_service_app
from lab import messages_ru, problem_types  # noqa: F401  (Russian texts, problem codes)
from lab.catalogue.router import router as catalogue_router
from lab.charges.router import router as charges_router
from lab.consumers import build_handlers
from lab.demo import seed_demo
from lab.deps import settings_of
from lab.doctors.router import router as doctors_router
from lab.exchange.metrics import METRICS as EXCHANGE_METRICS
from lab.exchange.worker import Exchanges, ExchangeWorker
from lab.fake_lab import FakeLabState, create_fake_lab
from lab.history.router import router as history_router
from lab.lab_tests.router import router as tests_router
from lab.labels.router import router as labels_router
from lab.labs.router import router as labs_router
from lab.links.router import router as links_router
from lab.models import EVENTS, Base, load_models
from lab.orders.router import router as orders_router
from lab.patients.router import router as patients_router
from lab.preferences.router import router as preferences_router
from lab.results.router import router as results_router
from lab.rights import RIGHTS
from lab.settings import LabSettings
from lab.visits.router import router as visits_router

SETTINGS_CLASS = LabSettings
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def start_exchange(runtime: ServiceRuntime) -> None:
    """Start the exchange worker, with the fake lab in-process when it is on (LAB-8)."""
    settings = settings_of(runtime)
    transport = None
    if settings.fake_exchange_enabled:
        fake = FakeLabState(result_delay_seconds=settings.lab_fake_result_delay_seconds)
        runtime.state["fake_lab"] = fake
        transport = httpx.ASGITransport(app=create_fake_lab(fake))
    exchanges = Exchanges(settings, fake_transport=transport)
    runtime.state["exchanges"] = exchanges
    if settings.lab_exchange_worker:
        worker = ExchangeWorker(runtime.db, settings, exchanges)
        runtime.state["exchange_worker"] = worker
        worker.start()


async def stop_exchange(runtime: ServiceRuntime) -> None:
    """Stop the worker, then close the lab clients."""
    worker: ExchangeWorker | None = runtime.state.get("exchange_worker")
    if worker is not None:
        await worker.stop()
    exchanges: Exchanges | None = runtime.state.get("exchanges")
    if exchanges is not None:
        await exchanges.close()


def create_app(settings: LabSettings | None = None, *, bus: EventBus | None = None) -> FastAPI:
    """The lab FastAPI app; paths have no /api/lab prefix (the gateway adds it)."""
    load_models()
    settings = settings or LabSettings()
    spec = ServiceSpec(
        name="lab",
        title="Lab",
        description="External laboratories: directories, test-service links, orders with barcoded samples, "
        "ZPL labels, results and the exchange with the labs.",
        metadata=Base.metadata,
        events=EVENTS,
        migrations=MIGRATIONS,
        routers=[
            preferences_router,
            labs_router,
            catalogue_router,
            tests_router,
            links_router,
            doctors_router,
            charges_router,
            patients_router,
            orders_router,
            visits_router,
            results_router,
            labels_router,
            history_router,
        ],
        rights=RIGHTS,
        handlers=build_handlers(settings),
        on_startup=[seed_demo, start_exchange],
        on_shutdown=[stop_exchange],
        metrics=EXCHANGE_METRICS,
    )
    return create_service_app(spec, settings, bus=bus)
