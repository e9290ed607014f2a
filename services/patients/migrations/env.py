"""Alembic environment of the patients schema (programmatic on start, or the alembic CLI)."""

from alembic import context

from clinic_shared.migrations import run_env
from patients.models import Base, load_models
from patients.settings import PatientsSettings

load_models()
run_env(context, Base.metadata, PatientsSettings)
