"""Per-organisation access (PRO-8, «Права пользователей. Профосмотр»).

A user with an entry here sees only the entry's organisations — their contracts and price lists,
exams, employees, calculations, imports and exports; anything else answers 404, as if it did not
exist (the lab service answers other labs' orders the same way). A user without an entry sees
everything. Entries are keyed by the gateway's user id and managed by holders of
`profexam.access` who are not limited themselves.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.auth import Principal
from clinic_shared.concurrency import PreconditionFailed, check_if_match
from clinic_shared.db import utcnow
from clinic_shared.errors import Forbidden, NotFound, ValidationFailed
from clinic_shared.logging import get_logger
from profexam import rights
from profexam.access.models import UserAccess
from profexam.access.repository import AccessRepository
from profexam.access.schemas import AccessRead, AccessUpdate
from profexam.organizations.repository import OrganizationRepository
from profexam.scope import EVERY_ORGANIZATION, OrganizationScope

log = get_logger(__name__)


async def scope_of(session: AsyncSession, user_id: uuid.UUID) -> OrganizationScope:
    """The organisations `user_id` may see: its entry's, or every one when it has none."""
    allowed = await AccessRepository(session).allowed(user_id)
    return EVERY_ORGANIZATION if allowed is None else OrganizationScope(allowed)


def check_manager(scope: OrganizationScope) -> None:
    """A user limited to some organisations cannot change anyone's limits (their own included)."""
    if scope.limited:
        raise Forbidden(
            "A user limited to chosen organisations cannot manage organisation access.",
            code="organization-scope-limited",
            missing_right=rights.ACCESS,
        )


async def _read(session: AsyncSession, entries: Sequence[UserAccess]) -> list[AccessRead]:
    organizations = await AccessRepository(session).organizations_of(e.user_id for e in entries)
    return [
        AccessRead(
            user_id=e.user_id,
            organization_ids=organizations[e.user_id],
            note=e.note,
            updated_at=e.updated_at,
            updated_by=e.updated_by,
        )
        for e in entries
    ]


async def list_entries(session: AsyncSession, *, limit: int, offset: int) -> tuple[list[AccessRead], int]:
    """Every limited user with their organisations."""
    entries, total = await AccessRepository(session).page(limit=limit, offset=offset)
    return await _read(session, entries), total


async def get_entry(session: AsyncSession, *, user_id: uuid.UUID) -> AccessRead:
    """One user's entry; 404 when the user is not limited."""
    entry = await AccessRepository(session).entry(user_id)
    if entry is None:
        raise NotFound(f"User {user_id} is not limited to chosen organisations.")
    return (await _read(session, [entry]))[0]


async def put_entry(
    session: AsyncSession, *, user_id: uuid.UUID, data: AccessUpdate, principal: Principal, if_match: str | None = None
) -> AccessRead:
    """Limit a user to exactly these organisations (every id must be an organisation: 422
    otherwise), changing the version of the entry `if_match` names (412 otherwise)."""
    wanted = list(dict.fromkeys(data.organization_ids))
    existing = await OrganizationRepository(session).existing_ids(wanted)
    errors = [
        {"field": f"organization_ids.{index}", "code": "unknown_organization", "message": "no such organisation"}
        for index, organization_id in enumerate(data.organization_ids)
        if organization_id not in existing
    ]
    if errors:
        raise ValidationFailed("Invalid organization_ids: unknown organisation(s)", errors=errors)
    repository = AccessRepository(session)
    entry = await repository.entry(user_id, for_update=True)
    _check_version(if_match, entry, principal)
    if entry is None:
        try:
            async with session.begin_nested():
                await repository.add(UserAccess(user_id=user_id, updated_at=utcnow()))
        except IntegrityError:
            pass  # made by a request at the same moment: take its row (locked) instead
        entry = await repository.entry(user_id, for_update=True)
        assert entry is not None
    entry.note = data.note
    entry.updated_at = utcnow()
    entry.updated_by = principal.user_id
    await session.flush()
    await repository.replace_organizations(user_id, wanted)
    log.info("profexam.access.set", user_id=str(user_id), organizations=len(wanted), by=str(principal.user_id))
    return (await _read(session, [entry]))[0]


def _check_version(if_match: str | None, entry: UserAccess | None, principal: Principal) -> None:
    """If-Match on an entry that a PUT makes when missing: a version named for a missing one is
    stale (it was deleted since), `*` or none is fine."""
    if entry is not None:
        check_if_match(if_match, entry, principal)
    elif if_match is not None and "*" not in [tag.strip() for tag in if_match.split(",")]:
        raise PreconditionFailed("Someone changed this since you read it: reload it and make your change again.")


async def delete_entry(
    session: AsyncSession, *, user_id: uuid.UUID, principal: Principal, if_match: str | None = None
) -> None:
    """Lift a user's limitation: they see every organisation again."""
    repository = AccessRepository(session)
    entry = await repository.entry(user_id, for_update=True)
    if entry is None:
        raise NotFound(f"User {user_id} is not limited to chosen organisations.")
    check_if_match(if_match, entry, principal)
    await repository.delete(entry)
    log.info("profexam.access.lifted", user_id=str(user_id), by=str(principal.user_id))
