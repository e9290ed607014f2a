"""The gateway's audit log (GW-2, GW-3): logins, users, roles, rights, passwords and sessions.

Each entry says who (the acting user, or none for a failed login), what (`action`), to whom
(the user or role acted on, by id and by its name at the time) and when, with the details
that matter (rights before and after, which fields changed; never a password or a token).
Entries are written in the same transaction as the change they describe, so the log cannot
claim a change that was rolled back, nor miss one that committed. Read with `gateway.audit`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from gateway.models import AuditEntry, Role, User

# Every action the log may hold (the API's `action` filter is checked against it).
ACTIONS = {
    "login.succeeded": "a user logged in",
    "login.failed": "a login was refused (wrong password, unknown or inactive user)",
    "login.throttled": "a login was refused: too many failures",
    "login.unlocked": "an administrator forgave a user's failed logins",
    "session.refreshed_after_reuse": "a replaced refresh token came back: the session was ended",
    "session.ended": "a user logged out",
    "sessions.ended": "an administrator logged a user out everywhere",
    "user.created": "a user was created",
    "user.updated": "a user's name, roles, claims or active flag changed",
    "user.password_changed": "a user's password was set",
    "user.deleted": "a user was deleted",
    "role.created": "a role was created",
    "role.updated": "a role's rights or description changed",
    "role.deleted": "a role was deleted",
    "platform.settings_changed": "the platform settings (the clinic's time zone) changed",
}


def record(
    session: AsyncSession,
    action: str,
    *,
    actor: Principal | User | None,
    target: User | Role | None = None,
    details: dict[str, Any] | None = None,
    client_address: str | None = None,
) -> None:
    """Add one entry to the current unit of work."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    actor_id = getattr(actor, "user_id", None) or getattr(actor, "id", None)
    session.add(
        AuditEntry(
            id=uuid.uuid4(),
            action=action,
            actor_id=actor_id,
            actor_username=getattr(actor, "username", None),
            target_type="user" if isinstance(target, User) else "role" if isinstance(target, Role) else None,
            target_id=getattr(target, "id", None),
            target_name=getattr(target, "username", None) or getattr(target, "name", None),
            details=details or {},
            client_address=client_address,
        )
    )


async def search(
    session: AsyncSession,
    *,
    actor_id: uuid.UUID | None = None,
    target_id: uuid.UUID | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[AuditEntry], int]:
    """Entries matching every filter given, newest first, and how many match in all."""
    conditions = []
    if actor_id is not None:
        conditions.append(AuditEntry.actor_id == actor_id)
    if target_id is not None:
        conditions.append(AuditEntry.target_id == target_id)
    if action is not None:
        conditions.append(AuditEntry.action == action)
    if since is not None:
        conditions.append(AuditEntry.at >= since)
    if until is not None:
        conditions.append(AuditEntry.at < until)
    total = (await session.execute(select(func.count()).select_from(AuditEntry).where(*conditions))).scalar_one()
    rows = await session.execute(
        select(AuditEntry).where(*conditions).order_by(AuditEntry.at.desc(), AuditEntry.id).limit(limit).offset(offset)
    )
    return list(rows.scalars()), int(total)
