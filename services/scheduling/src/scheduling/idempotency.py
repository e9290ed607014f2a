"""Idempotency keys for POSTs that create (`Idempotency-Key` header).

A client that lost the answer to a booking sends it again with the same key and gets the
same appointment back (201) instead of a 409 against its own booking. The key is stored in
the transaction that created the resource, per user, with a hash of the request body: the
same key with another body is refused (422).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import utcnow
from clinic_shared.errors import ValidationFailed
from scheduling.models import Base

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 200


class IdempotencyKey(Base):
    __tablename__ = "idempotency_keys"

    scope: Mapped[str] = mapped_column(String(300), primary_key=True)
    request_hash: Mapped[str] = mapped_column(String(64))
    resource_id: Mapped[uuid.UUID]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def request_hash(body: Any) -> str:
    """A stable hash of a request body (keys sorted)."""
    return hashlib.sha256(json.dumps(body, sort_keys=True, default=str).encode()).hexdigest()


def scope_of(operation: str, user_id: uuid.UUID | None, key: str) -> str:
    """Keys are per operation and per user: two users never collide."""
    if not key.strip() or len(key) > MAX_KEY_LENGTH:
        raise ValidationFailed.field(HEADER, f"must be 1 to {MAX_KEY_LENGTH} characters")
    return f"{operation}:{user_id}:{key.strip()}"


async def earlier_result(session: AsyncSession, scope: str, body_hash: str) -> uuid.UUID | None:
    """The resource made under this key before, or None; 422 when the key came with another body."""
    found = await session.get(IdempotencyKey, scope)
    if found is None:
        return None
    if found.request_hash != body_hash:
        raise ValidationFailed.field(HEADER, "was already used for a different request")
    return found.resource_id


async def once(
    session: AsyncSession,
    *,
    operation: str,
    user_id: uuid.UUID | None,
    key: str | None,
    body: Any,
    create: Callable[[], Awaitable[uuid.UUID]],
) -> uuid.UUID:
    """Run `create` (returning the new resource's id) unless `key` already made it."""
    if key is None:
        return await create()
    scope = scope_of(operation, user_id, key)
    body_hash = request_hash(body)
    earlier = await earlier_result(session, scope, body_hash)
    if earlier is not None:
        return earlier
    resource_id = await create()
    await remember(session, scope, body_hash, resource_id)
    return resource_id


async def remember(session: AsyncSession, scope: str, body_hash: str, resource_id: uuid.UUID) -> None:
    """Store the key with what it created, in the creating transaction."""
    session.add(IdempotencyKey(scope=scope, request_hash=body_hash, resource_id=resource_id, created_at=utcnow()))
    await session.flush()
