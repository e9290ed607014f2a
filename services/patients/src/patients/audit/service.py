"""Record and read who read or changed which card (GW-3)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.context import request_id_var
from clinic_shared.db import utcnow
from patients.audit.models import AuditRecord
from patients.audit.repository import AuditRepository
from patients.audit.schemas import AuditAction


async def record(
    session: AsyncSession,
    *,
    principal: Principal,
    action: AuditAction,
    card_ids: Iterable[uuid.UUID | None],
    detail: str | None = None,
) -> None:
    """One audit row per card, in the caller's transaction (no audit row without the action)."""
    at = utcnow()
    request_id = request_id_var.get()
    rows = [
        {
            "id": uuid.uuid4(),
            "at": at,
            "user_id": principal.user_id,
            "username": principal.username,
            "action": action.value,
            "card_id": card_id,
            "detail": detail[:500] if detail else None,
            "request_id": request_id,
        }
        for card_id in card_ids
    ]
    await AuditRepository(session).add_many(rows)


async def list_records(
    session: AsyncSession,
    *,
    card_id: uuid.UUID | None = None,
    user_id: uuid.UUID | None = None,
    action: AuditAction | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[Sequence[AuditRecord], int]:
    """Audit records, newest first, filtered."""
    return await AuditRepository(session).page(
        card_id=card_id,
        user_id=user_id,
        action=action.value if action else None,
        since=since,
        until=until,
        limit=limit,
        offset=offset,
    )
