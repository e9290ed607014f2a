from alembic import context

import gateway.live.store  # noqa: F401  (the live stream's table is on Base.metadata too)
from clinic_shared.migrations import run_env
from gateway.models import Base
from gateway.settings import GatewaySettings

run_env(context, Base.metadata, GatewaySettings)
