"""Alembic environment of the scheduling schema (programmatic on start, or the alembic CLI)."""

from alembic import context

from clinic_shared.migrations import run_env
from scheduling.models import Base, load_models
from scheduling.settings import SchedulingSettings

load_models()
run_env(context, Base.metadata, SchedulingSettings)
