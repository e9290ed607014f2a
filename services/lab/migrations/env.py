"""Alembic environment of the lab schema (programmatic on start, or the alembic CLI)."""

from alembic import context

from clinic_shared.migrations import run_env
from lab.models import Base, load_models
from lab.settings import LabSettings

load_models()
run_env(context, Base.metadata, LabSettings)
