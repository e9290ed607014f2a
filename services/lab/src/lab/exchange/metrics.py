"""The exchange queue on /metrics (LAB-8), `target="lab"`:

- `pending`: orders waiting to be sent to their lab (first try or a retry with backoff);
- `failed`: sends given up after the last attempt (a person sends them again);
- `awaiting_results`: sent orders the worker polls for results.

`outbound_oldest_pending_age_seconds` is how long the oldest pending order has been queued.
Both reads filter on `state`, which leads the queue's indexes; completed rows are never read.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import utcnow
from clinic_shared.metrics import Reading, ServiceMetric, age_seconds, outbound_queue_metrics
from clinic_shared.service import ServiceRuntime
from lab.exchange.models import ExchangeItem

TARGET = "lab"
# Queue state -> the state label on /metrics.
STATES = {"pending": "pending", "failed": "failed", "sent": "awaiting_results"}
T = ExchangeItem.__table__


async def queue_depth(_runtime: ServiceRuntime, session: AsyncSession) -> Reading:
    """Orders per state (zeros included)."""
    rows = await session.execute(select(T.c.state, func.count()).where(T.c.state.in_(list(STATES))).group_by(T.c.state))
    counts = {state: int(count) for state, count in rows}
    return {(TARGET, label): counts.get(state, 0) for state, label in STATES.items()}


async def oldest_pending_age(_runtime: ServiceRuntime, session: AsyncSession) -> Reading:
    """Seconds since the oldest pending order was queued (0 when none is pending)."""
    oldest = (await session.execute(select(func.min(T.c.queued_at)).where(T.c.state == "pending"))).scalar_one()
    return {(TARGET,): age_seconds(oldest, utcnow())}


METRICS: list[ServiceMetric] = outbound_queue_metrics(depth=queue_depth, oldest_pending_age=oldest_pending_age)
