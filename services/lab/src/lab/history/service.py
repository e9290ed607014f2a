"""Journaling what happens to an order, and who did it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.db import utcnow
from lab.history.models import OrderHistoryEntry
from lab.history.repository import HistoryRepository


@dataclass(frozen=True)
class Actor:
    """Who does something: a user, or the system (a charge, the lab exchange)."""

    user_id: uuid.UUID | None
    username: str

    @classmethod
    def of(cls, principal: Principal) -> Actor:
        return cls(principal.user_id, principal.username)


async def record(
    session: AsyncSession, *, order_id: uuid.UUID, action: str, actor: Actor, details: dict[str, Any] | None = None
) -> None:
    """Add one entry to an order's journal."""
    session.add(
        OrderHistoryEntry(
            id=uuid.uuid4(),
            order_id=order_id,
            at=utcnow(),
            action=action,
            user_id=actor.user_id,
            username=actor.username,
            details=details or {},
        )
    )


async def list_entries(
    session: AsyncSession, *, order_id: uuid.UUID, limit: int, offset: int
) -> tuple[Sequence[OrderHistoryEntry], int]:
    """An order's journal, oldest first."""
    return await HistoryRepository(session).of_order(order_id, limit=limit, offset=offset)
