"""The gateway's declarative base: its own MetaData with the platform's column types.

A module of its own, as each service's `models.py` is to its model modules: the models import
it (a base made by a call and used in the same module is not a type to the type checker)."""

from __future__ import annotations

from clinic_shared.db import make_base

Base = make_base()
