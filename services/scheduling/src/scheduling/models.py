"""The declarative base of the scheduling service and its outbox/inbox tables.

Domain models live in their folders (`directories/models.py`, …); `MODEL_MODULES` lists them
so Alembic and the app load every table onto this one MetaData.
"""

from __future__ import annotations

import importlib

from sqlalchemy.orm import DeclarativeBase

from clinic_shared.db import column_types, make_metadata
from clinic_shared.outbox import EventTables


class Base(DeclarativeBase):
    """The scheduling service's declarative base: its own MetaData, the platform's column types."""

    metadata = make_metadata()
    type_annotation_map = column_types()


EVENTS = EventTables(Base.metadata)

MODEL_MODULES = (
    "scheduling.counters",
    "scheduling.seeds",
    "scheduling.idempotency",
    "scheduling.directories.models",
    "scheduling.preferences.models",
    "scheduling.schedules.models",
    "scheduling.patients.models",
    "scheduling.appointments.models",
    "scheduling.waitlist.models",
    "scheduling.online.models",
)


def load_models() -> None:
    """Import every model module so all tables are registered on `Base.metadata`."""
    for module in MODEL_MODULES:
        importlib.import_module(module)
