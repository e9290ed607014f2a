"""Alembic environment of the ondoc schema (programmatic on start, or the alembic CLI)."""

from alembic import context

from clinic_shared.migrations import run_env
from ondoc_bridge.models import Base, load_models
from ondoc_bridge.settings import OndocSettings

load_models()
run_env(context, Base.metadata, OndocSettings)
