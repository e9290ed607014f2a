"""Alembic environment of the profexam schema (programmatic on start, or the alembic CLI)."""

from alembic import context

from clinic_shared.migrations import run_env
from profexam.models import Base, load_models
from profexam.settings import ProfexamSettings

load_models()
run_env(context, Base.metadata, ProfexamSettings)
