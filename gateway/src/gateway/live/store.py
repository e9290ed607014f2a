"""The retention table of the live stream: recent events, each with a gapless sequence number.

Every gateway replica writes each event it receives, and the replicas share the database, so the
first write wins and the others find the event already there (`event_id` is unique). The number
is taken as `max(seq) + 1` while the table is locked (PostgreSQL: `LOCK TABLE … IN EXCLUSIVE
MODE`, readers go on; SQLite: every transaction is `BEGIN IMMEDIATE`), so numbers are handed out
in commit order without gaps. That is what makes a stream's `Last-Event-ID` mean the same on
every replica, lets a reader that has seen n never later find an n' < n it missed, and tells
exactly whether a resuming client lost anything to pruning (its id < the oldest kept − 1).

Pruning removes the oldest rows (older than the retention time, or beyond the retention count)
but always keeps the newest one, so the sequence continues after a quiet spell.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import JSON, BigInteger, Integer, String, delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import on_postgres, rows_affected, utcnow
from clinic_shared.events import EventEnvelope
from gateway.models import Base


class LiveEvent(Base):
    """One event kept for the live stream (gateway/live)."""

    __tablename__ = "live_events"

    seq: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True, autoincrement=False
    )
    event_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    type: Mapped[str] = mapped_column(String(100))
    aggregate_id: Mapped[str] = mapped_column(String(100))
    aggregate_version: Mapped[int] = mapped_column(BigInteger)
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(index=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSON)


@dataclass(frozen=True)
class StoredEvent:
    """A kept event as the streams read it (detached from any session)."""

    seq: int
    event_id: uuid.UUID
    type: str
    aggregate_id: str
    aggregate_version: int
    occurred_at: datetime
    data: dict[str, Any]

    @classmethod
    def of(cls, row: LiveEvent) -> StoredEvent:
        return cls(
            row.seq, row.event_id, row.type, row.aggregate_id, row.aggregate_version, row.occurred_at, dict(row.data)
        )


async def keep(session: AsyncSession, envelope: EventEnvelope, data: dict[str, Any]) -> int | None:
    """Keep an event (with `data`, already trimmed); its number, or None when a replica kept it first."""
    if on_postgres(session):
        await session.execute(text("LOCK TABLE live_events IN EXCLUSIVE MODE"))
    known = await session.scalar(select(LiveEvent.seq).where(LiveEvent.event_id == envelope.id))
    if known is not None:
        return None
    seq = int(await session.scalar(select(func.coalesce(func.max(LiveEvent.seq), 0))) or 0) + 1
    session.add(
        LiveEvent(
            seq=seq,
            event_id=envelope.id,
            type=envelope.type,
            aggregate_id=envelope.aggregate_id,
            aggregate_version=envelope.aggregate_version,
            occurred_at=envelope.occurred_at,
            received_at=utcnow(),
            data=data,
        )
    )
    await session.flush()
    return seq


async def after(session: AsyncSession, seq: int, limit: int) -> list[StoredEvent]:
    """Kept events numbered above `seq`, oldest first."""
    rows = await session.scalars(select(LiveEvent).where(LiveEvent.seq > seq).order_by(LiveEvent.seq).limit(limit))
    return [StoredEvent.of(row) for row in rows]


async def bounds(session: AsyncSession) -> tuple[int, int]:
    """(oldest, newest) number kept; (0, 0) when nothing is."""
    oldest, newest = (await session.execute(select(func.min(LiveEvent.seq), func.max(LiveEvent.seq)))).one()
    return int(oldest or 0), int(newest or 0)


async def prune(session: AsyncSession, *, keep_seconds: float, keep_events: int) -> int:
    """Forget events older than `keep_seconds` or beyond the newest `keep_events`, never the newest."""
    newest = await session.scalar(select(func.max(LiveEvent.seq)))
    if newest is None:
        return 0
    by_age = await session.scalar(
        select(func.max(LiveEvent.seq)).where(LiveEvent.received_at < utcnow() - timedelta(seconds=keep_seconds))
    )
    upto = min(max(by_age or 0, newest - max(keep_events, 1)), newest - 1)
    if upto <= 0:
        return 0
    result = await session.execute(delete(LiveEvent).where(LiveEvent.seq <= upto))
    return rows_affected(result)
