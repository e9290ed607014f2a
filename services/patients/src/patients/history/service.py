"""Journal every version of a card: who, when, which fields from → to (PAT-8)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.db import utcnow
from patients.history.models import CardHistoryEntry
from patients.history.repository import CardHistoryRepository


async def record(
    session: AsyncSession,
    *,
    card_id: uuid.UUID,
    version: int,
    action: str,
    principal: Principal,
    changes: list[dict[str, Any]],
) -> None:
    """Add the journal entry of one card version (in the caller's transaction)."""
    await record_many(session, action=action, principal=principal, entries=[(card_id, version, changes)])


async def record_many(
    session: AsyncSession,
    *,
    action: str,
    principal: Principal,
    entries: Iterable[tuple[uuid.UUID, int, list[dict[str, Any]]]],
) -> None:
    """Journal entries `(card_id, version, changes)` of one action, in one INSERT (caller's transaction)."""
    at = utcnow()
    rows = [
        {
            "id": uuid.uuid4(),
            "card_id": card_id,
            "version": version,
            "action": action,
            "at": at,
            "user_id": principal.user_id,
            "username": principal.username,
            "changes": changes,
        }
        for card_id, version, changes in entries
    ]
    await CardHistoryRepository(session).add_many(rows)


async def list_for_card(
    session: AsyncSession, *, card_id: uuid.UUID, limit: int, offset: int
) -> tuple[Sequence[CardHistoryEntry], int]:
    """The journal of one card, oldest first."""
    return await CardHistoryRepository(session).page_for_card(card_id, limit=limit, offset=offset)
