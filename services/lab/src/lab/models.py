"""The declarative base of the lab service and its outbox/inbox tables.

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
    "lab.counters",
    "lab.preferences.models",
    "lab.labs.models",
    "lab.lab_tests.models",
    "lab.links.models",
    "lab.patients.models",
    "lab.doctors.models",
    "lab.visits.models",
    "lab.orders.models",
    "lab.results.models",
    "lab.history.models",
    "lab.charges.models",
    "lab.exchange.models",
)


def load_models() -> None:
    """Import every model module so all tables are registered on `Base.metadata`."""
    for module in MODEL_MODULES:
        importlib.import_module(module)
