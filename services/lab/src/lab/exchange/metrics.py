"""The exchange queue on /metrics (LAB-8), `target="lab"`:

- `pending`: orders waiting to be sent to their lab (first try or a retry with backoff);
- `failed`: sends given up after the last attempt (a person sends them again);
- `awaiting_results`: sent orders the worker polls for results.

A cancellation the lab must still hear of counts as `pending` (and as `failed` once given up):
it waits to leave the platform just like an order.

`outbound_oldest_pending_age_seconds` is how long the oldest pending order or cancellation has
been queued. The reads filter on `state` / `cancel_state`, which lead the queue's indexes;
completed rows are never read.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import table_of, utcnow
from clinic_shared.metrics import Reading, ServiceMetric, age_seconds, outbound_queue_metrics
from clinic_shared.service import ServiceRuntime
from lab.exchange.models import ExchangeItem

TARGET = "lab"
# Queue state -> the state label on /metrics.
STATES = {"pending": "pending", "failed": "failed", "sent": "awaiting_results"}
CANCEL_STATES = ["pending", "failed"]  # cancellations still to tell the lab, or given up
T = table_of(ExchangeItem)


async def queue_depth(_runtime: ServiceRuntime, session: AsyncSession) -> Reading:
    """Orders per state (zeros included)."""
    rows = await session.execute(select(T.c.state, func.count()).where(T.c.state.in_(list(STATES))).group_by(T.c.state))
    counts = {state: int(count) for state, count in rows}
    cancels = await session.execute(
        select(T.c.cancel_state, func.count()).where(T.c.cancel_state.in_(CANCEL_STATES)).group_by(T.c.cancel_state)
    )
    for state, count in cancels:
        counts[state] = counts.get(state, 0) + int(count)
    return {(TARGET, label): counts.get(state, 0) for state, label in STATES.items()}


async def oldest_pending_age(_runtime: ServiceRuntime, session: AsyncSession) -> Reading:
    """Seconds since the oldest pending order or cancellation was queued (0 when none is pending)."""
    oldest_send = (await session.execute(select(func.min(T.c.queued_at)).where(T.c.state == "pending"))).scalar_one()
    oldest_cancel = (
        await session.execute(select(func.min(T.c.cancel_queued_at)).where(T.c.cancel_state == "pending"))
    ).scalar_one()
    oldest = min((t for t in (oldest_send, oldest_cancel) if t is not None), default=None)
    return {(TARGET,): age_seconds(oldest, utcnow())}


METRICS: list[ServiceMetric] = outbound_queue_metrics(depth=queue_depth, oldest_pending_age=oldest_pending_age)
