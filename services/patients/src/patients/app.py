"""The patients service: card archive, search, history, discount cards, cards out (PAT-1 … PAT-9)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI

from clinic_shared.bus import EventBus
from clinic_shared.service import ServiceRuntime, ServiceSpec, create_service_app
from patients import messages_ru, problem_types  # noqa: F401  (Russian texts and problem types of the errors)
from patients.audit.router import router as audit_router
from patients.card_issues.router import router as card_issues_router
from patients.cards.router import router as cards_router
from patients.discounts.router import router as discounts_router
from patients.history.router import router as history_router
from patients.models import EVENTS, Base, load_models
from patients.policy import service as policy_service
from patients.policy.router import router as settings_router
from patients.rights import RIGHTS
from patients.settings import PatientsSettings
from patients.sex.router import router as sex_router

SETTINGS_CLASS = PatientsSettings
MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"


async def seed_defaults(runtime: ServiceRuntime) -> None:
    """First start: load the default sex-by-patronymic endings (PAT-6)."""
    async with runtime.db.session() as session:
        await policy_service.seed_defaults(session)


def create_app(settings: PatientsSettings | None = None, *, bus: EventBus | None = None) -> FastAPI:
    """The patients FastAPI app; paths have no /api/patients prefix (the gateway adds it)."""
    load_models()
    spec = ServiceSpec(
        name="patients",
        title="Patients",
        description="Patient card archive: cards, search, history, discount cards, cards out of the archive, audit.",
        metadata=Base.metadata,
        events=EVENTS,
        migrations=MIGRATIONS,
        routers=[
            cards_router,
            history_router,
            discounts_router,
            card_issues_router,
            settings_router,
            sex_router,
            audit_router,
        ],
        rights=RIGHTS,
        on_startup=[seed_defaults],
    )
    return create_service_app(spec, settings or PatientsSettings(), bus=bus)
