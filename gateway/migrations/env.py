from alembic import context

from clinic_shared.migrations import run_env
from gateway.models import Base
from gateway.settings import GatewaySettings

run_env(context, Base.metadata, GatewaySettings)
