"""The message queue on /metrics, per channel (`target` = sms | email):

- `pending`: what should be going out now — due and queued, waiting for a retry after a
  provider error, or being sent;
- `scheduled`: reminders planned for later (not a backlog, but what the next hours hold);
- `failed`: given up (after the last attempt or a refusal), or `unknown` (the provider may have
  taken it but never said so; not resent by itself): both need a human. It only grows, so
  watch its rate.

`outbound_oldest_pending_age_seconds` is how late the most overdue pending message is (now
minus its planned time), on the notifier's clock. Both reads filter on `status`, which leads
`ix_messages_status_next_attempt_at`; sent and cancelled messages are never read.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import table_of
from clinic_shared.metrics import Reading, ServiceMetric, age_seconds, outbound_queue_metrics
from clinic_shared.service import ServiceRuntime
from notifier.clock import CLOCK_KEY, Clock, SystemClock
from notifier.messages.models import Message

CHANNELS = ("sms", "email")
STATES = ("pending", "scheduled", "failed")
T = table_of(Message)


def _now(runtime: ServiceRuntime) -> datetime:
    clock: Clock = runtime.state.get(CLOCK_KEY) or SystemClock()
    return clock.now()


def _pending(now: datetime) -> ColumnElement[bool]:
    """Due and queued, waiting for a retry, or being sent."""
    return or_(
        T.c.status == "sending",
        and_(T.c.status == "queued", or_(T.c.next_attempt_at <= now, T.c.attempts > 0)),
    )


async def queue_depth(runtime: ServiceRuntime, session: AsyncSession) -> Reading:
    """Messages per channel and state (zeros included, so every series always shows)."""
    now = _now(runtime)
    state = case((T.c.status.in_(("failed", "unknown")), "failed"), (_pending(now), "pending"), else_="scheduled")
    rows = await session.execute(
        select(T.c.channel, state, func.count())
        .where(T.c.status.in_(("queued", "sending", "failed", "unknown")))
        .group_by(T.c.channel, state)
    )
    reading: dict[tuple[str, ...], float] = {(channel, name): 0.0 for channel in CHANNELS for name in STATES}
    for channel, name, count in rows:
        reading[(channel, name)] = float(count)
    return reading


async def oldest_pending_age(runtime: ServiceRuntime, session: AsyncSession) -> Reading:
    """Per channel, seconds since the planned time of the oldest pending message (0: none)."""
    now = _now(runtime)
    rows = await session.execute(select(T.c.channel, func.min(T.c.due_at)).where(_pending(now)).group_by(T.c.channel))
    oldest = {channel: at for channel, at in rows}
    return {(channel,): age_seconds(oldest.get(channel), now) for channel in CHANNELS}


METRICS: list[ServiceMetric] = outbound_queue_metrics(depth=queue_depth, oldest_pending_age=oldest_pending_age)
