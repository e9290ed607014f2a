"""SQL of the per-organisation access entries (PRO-8)."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert, select

from clinic_shared.repository import RepositoryBase
from profexam.access.models import UserAccess, UserAccessOrganization


class AccessRepository(RepositoryBase[UserAccess]):
    model = UserAccess

    async def entry(self, user_id: uuid.UUID, *, for_update: bool = False) -> UserAccess | None:
        if not for_update:
            return await self.session.get(UserAccess, user_id)
        # Locked on PostgreSQL: two changes of one user's entry take turns.
        statement = select(UserAccess).where(UserAccess.user_id == user_id).with_for_update()
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def allowed(self, user_id: uuid.UUID) -> frozenset[uuid.UUID] | None:
        """The organisations of the user's entry (one query); None when the user has no entry."""
        statement = (
            select(UserAccess.user_id, UserAccessOrganization.organization_id)
            .outerjoin(UserAccessOrganization, UserAccessOrganization.user_id == UserAccess.user_id)
            .where(UserAccess.user_id == user_id)
        )
        rows = (await self.session.execute(statement)).all()
        if not rows:
            return None
        return frozenset(organization_id for _, organization_id in rows if organization_id is not None)

    async def page(self, *, limit: int, offset: int) -> tuple[Sequence[UserAccess], int]:
        return await self.paginate(select(UserAccess).order_by(UserAccess.user_id), limit=limit, offset=offset)

    async def organizations_of(self, user_ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, list[uuid.UUID]]:
        ids = list(user_ids)
        found: dict[uuid.UUID, list[uuid.UUID]] = {user_id: [] for user_id in ids}
        if not ids:
            return found
        statement = (
            select(UserAccessOrganization.user_id, UserAccessOrganization.organization_id)
            .where(UserAccessOrganization.user_id.in_(ids))
            .order_by(UserAccessOrganization.user_id, UserAccessOrganization.organization_id)
        )
        for user_id, organization_id in (await self.session.execute(statement)).all():
            found[user_id].append(organization_id)
        return found

    async def replace_organizations(self, user_id: uuid.UUID, organization_ids: Sequence[uuid.UUID]) -> None:
        await self.session.execute(delete(UserAccessOrganization).where(UserAccessOrganization.user_id == user_id))
        if organization_ids:
            await self.session.execute(
                insert(UserAccessOrganization),
                [{"user_id": user_id, "organization_id": o} for o in organization_ids],
            )
