"""Alembic environment of the notifier schema (programmatic on start, or the alembic CLI)."""

from alembic import context

from clinic_shared.migrations import run_env
from notifier.models import Base, load_models
from notifier.settings import NotifierSettings

load_models()
run_env(context, Base.metadata, NotifierSettings)
