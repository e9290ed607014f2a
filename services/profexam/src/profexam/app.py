"""The profexam service: occupational exams of organisations' employees (PRO-1 … PRO-8)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from clinic_shared.bus import EventBus
from clinic_shared.service import ServiceRuntime, ServiceSpec, create_service_app
from profexam import messages_ru, problem_types  # noqa: F401  (Russian texts, problem codes)
from profexam.access.router import router as access_router
from profexam.calculations.router import router as calculations_router
from profexam.events import HANDLERS
from profexam.exams.router import router as exams_router
from profexam.factors import service as factor_service
from profexam.factors.router import router as factors_router
from profexam.imports import jobs
from profexam.imports.router import router as imports_router
from profexam.models import EVENTS, Base, load_models
from profexam.organizations.router import router as organizations_router
from profexam.prices.router import router as prices_router
from profexam.rights import RIGHTS
from profexam.settings import ProfexamSettings

SETTINGS_CLASS = ProfexamSettings
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def load_factor_dictionary(runtime: ServiceRuntime) -> None:
    """Every start: bring the harmful factor table in line with the shipped list (idempotent)."""
    async with runtime.db.session() as session:
        await factor_service.load_dictionary(session)


def create_app(settings: ProfexamSettings | None = None, *, bus: EventBus | None = None) -> FastAPI:
    """The profexam FastAPI app; paths have no /api/profexam prefix (the gateway adds it)."""
    load_models()
    spec = ServiceSpec(
        name="profexam",
        title="Occupational exams",
        description=(
            "Organisations, contracts and their price lists, exams, employees, Excel import, harmful factors, "
            "calculations, per-organisation access."
        ),
        metadata=Base.metadata,
        events=EVENTS,
        migrations=MIGRATIONS,
        routers=[
            organizations_router,
            prices_router,
            factors_router,
            exams_router,
            imports_router,
            calculations_router,
            access_router,
        ],
        rights=RIGHTS,
        handlers=HANDLERS,
        on_startup=[load_factor_dictionary],
        on_shutdown=[jobs.stop_jobs],
    )
    return create_service_app(spec, settings or ProfexamSettings(), bus=bus)
