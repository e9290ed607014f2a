"""The declarative base of the ONDOC bridge and its outbox/inbox tables.

Domain models live in their folders; `MODEL_MODULES` lists them so Alembic and the app load
every table onto this one MetaData.
"""

from __future__ import annotations

import importlib

from clinic_shared.db import make_base
from clinic_shared.outbox import EventTables

Base = make_base()
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
