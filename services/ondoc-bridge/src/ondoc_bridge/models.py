"""The declarative base of the ONDOC bridge and its outbox/inbox tables.

Domain models live in their folders; `MODEL_MODULES` lists them so Alembic and the app load
every table onto this one MetaData.
"""

from __future__ import annotations

import importlib

from sqlalchemy.orm import DeclarativeBase

from clinic_shared.db import column_types, make_metadata
from clinic_shared.outbox import EventTables


class Base(DeclarativeBase):
    """The ONDOC bridge's declarative base: its own MetaData, the platform's column types."""

    metadata = make_metadata()
    type_annotation_map = column_types()


EVENTS = EventTables(Base.metadata)

MODEL_MODULES = (
    "ondoc_bridge.config.models",
    "ondoc_bridge.cards.models",
    "ondoc_bridge.attach.models",
    "ondoc_bridge.links.models",
    "ondoc_bridge.appointments.models",
    "ondoc_bridge.outbound.models",
    "ondoc_bridge.callbacks.models",
    "ondoc_bridge.booking.models",
    "ondoc_bridge.directories.models",
)


def load_models() -> None:
    """Import every model module so all tables are registered on `Base.metadata`."""
    for module in MODEL_MODULES:
        importlib.import_module(module)
