"""The scheduling service: directories, schedules, calendar, appointments, waiting list."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI

from clinic_shared.bus import EventBus
from clinic_shared.service import ServiceRuntime, ServiceSpec, create_service_app
from scheduling import messages_ru, problem_types  # noqa: F401  (Russian texts, problem codes)
from scheduling.appointments.router import router as appointments_router
from scheduling.calendar.patient_search import router as patient_search_router
from scheduling.calendar.router import router as calendar_router
from scheduling.consumers import build_handlers
from scheduling.demo import load_demo
from scheduling.directories.router import routers as directory_routers
from scheduling.export.router import router as export_router
from scheduling.freeslots.router import router as free_slots_router
from scheduling.localtime import zone
from scheduling.models import EVENTS, Base, load_models
from scheduling.online.public import router as online_public_router
from scheduling.online.router import router as online_setup_router
from scheduling.preferences import repository as preferences
from scheduling.preferences.router import router as settings_router
from scheduling.printing.router import router as printing_router
from scheduling.rights import RIGHTS
from scheduling.schedules.router import router as schedules_router
from scheduling.seeds import seed_system_items
from scheduling.settings import SchedulingSettings
from scheduling.waitlist.router import router as waitlist_router

SETTINGS_CLASS = SchedulingSettings
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def seed(runtime: ServiceRuntime) -> None:
    """Every start: system record types and the settings row; the demo data once if asked."""
    async with runtime.db.session() as session:
        await seed_system_items(session)
        await preferences.get_or_create(session)
        if runtime.settings.demo_data:
            await load_demo(session, tz=zone(runtime.settings.timezone))


def routers() -> list[APIRouter]:
    """The service's routers, in the order they must be matched.

    Routers with fixed paths under /appointments/ (the search-grid export
    `/appointments/export.xlsx`, printing) and /free-slots, /online/* go BEFORE
    `appointments_router`, whose `/appointments/{appointment_id}` would take them.
    """
    return [
        *directory_routers,
        settings_router,
        schedules_router,
        patient_search_router,
        calendar_router,
        waitlist_router,
        free_slots_router,
        online_setup_router,
        online_public_router,
        export_router,
        printing_router,
        appointments_router,
    ]


def create_app(settings: SchedulingSettings | None = None, *, bus: EventBus | None = None) -> FastAPI:
    """The scheduling FastAPI app; paths have no /api/scheduling prefix (the gateway adds it)."""
    load_models()
    settings = settings or SchedulingSettings()
    spec = ServiceSpec(
        name="scheduling",
        title="Scheduling",
        description="Directories, work schedules, calendar, appointments, trash and waiting list.",
        metadata=Base.metadata,
        events=EVENTS,
        migrations=MIGRATIONS,
        routers=routers(),
        rights=RIGHTS,
        handlers=build_handlers(settings),
        on_startup=[seed],
    )
    return create_service_app(spec, settings, bus=bus)
