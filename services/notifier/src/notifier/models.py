"""The declarative base of the notifier service and its outbox/inbox tables.

Domain models live in their folders; `MODEL_MODULES` lists them so Alembic and the app load
every table onto this one MetaData.
"""

from __future__ import annotations

import importlib

from sqlalchemy.orm import DeclarativeBase

from clinic_shared.db import column_types, make_metadata
from clinic_shared.outbox import EventTables


class Base(DeclarativeBase):
    """The notifier's declarative base: its own MetaData, the platform's column types."""

    metadata = make_metadata()
    type_annotation_map = column_types()


EVENTS = EventTables(Base.metadata)

MODEL_MODULES = (
    "notifier.projections.models",
    "notifier.config.models",
    "notifier.schedules.models",
    "notifier.messages.models",
)


def load_models() -> None:
    """Import every model module so all tables are registered on `Base.metadata`."""
    for module in MODEL_MODULES:
        importlib.import_module(module)
