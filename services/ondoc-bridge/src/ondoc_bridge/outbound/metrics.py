"""The outbound queue on /metrics: how much waits for ONDOC, how much ONDOC refused, and how
long the oldest pending change has been waiting (issue #5 observability; PLT metrics).

Both reads are index-backed (`status` leads `ix_outbound_items_status_next_attempt_at`) and
touch only pending and failed rows, never the growing set of sent ones.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import table_of, utcnow
from clinic_shared.metrics import Reading, ServiceMetric, age_seconds, outbound_queue_metrics
from clinic_shared.service import ServiceRuntime
from ondoc_bridge.outbound.models import FAILED, PENDING, OutboundItem

TARGET = "ondoc"
T = table_of(OutboundItem)


async def queue_depth(_runtime: ServiceRuntime, session: AsyncSession) -> Reading:
    """Pending items (being tried, with backoff) and failed ones (ONDOC refused; a human re-queues)."""
    rows = await session.execute(
        select(T.c.status, func.count()).where(T.c.status.in_((PENDING, FAILED))).group_by(T.c.status)
    )
    counts = {status: int(count) for status, count in rows}
    return {(TARGET, state): counts.get(state, 0) for state in (PENDING, FAILED)}


async def oldest_pending_age(_runtime: ServiceRuntime, session: AsyncSession) -> Reading:
    """Seconds since the oldest pending state was queued (0 when nothing is pending)."""
    oldest = (await session.execute(select(func.min(T.c.queued_at)).where(T.c.status == PENDING))).scalar_one()
    return {(TARGET,): age_seconds(oldest, utcnow())}


METRICS: list[ServiceMetric] = outbound_queue_metrics(depth=queue_depth, oldest_pending_age=oldest_pending_age)
