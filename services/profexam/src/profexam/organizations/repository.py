"""SQL of organisations and contracts."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

from clinic_shared.repository import RepositoryBase
from profexam.exams.models import Exam
from profexam.organizations.models import Contract, Organization


class OrganizationRepository(RepositoryBase[Organization]):
    model = Organization

    async def search(
        self, *, q: str | None, only: frozenset[uuid.UUID] | None, limit: int, offset: int
    ) -> tuple[Sequence[Organization], int]:
        """By name; `only` (a limited user's organisations) narrows the list, None leaves it whole."""
        statement = select(Organization).order_by(Organization.name_norm, Organization.id)
        if q:
            statement = statement.where(Organization.name_norm.contains(q, autoescape=True))
        if only is not None:
            statement = statement.where(Organization.id.in_(only))
        return await self.paginate(statement, limit=limit, offset=offset)

    async def existing_ids(self, ids: Iterable[uuid.UUID]) -> set[uuid.UUID]:
        wanted = list(ids)
        if not wanted:
            return set()
        statement = select(Organization.id).where(Organization.id.in_(wanted))
        return set((await self.session.execute(statement)).scalars().all())

    async def count_exams(self, organization_id: uuid.UUID) -> int:
        statement = select(func.count()).select_from(Exam).where(Exam.organization_id == organization_id)
        return int((await self.session.execute(statement)).scalar_one())


class ContractRepository(RepositoryBase[Contract]):
    model = Contract

    async def of_organization(
        self, organization_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[Sequence[Contract], int]:
        statement = (
            select(Contract)
            .where(Contract.organization_id == organization_id)
            .order_by(Contract.valid_from.desc(), Contract.id)
        )
        return await self.paginate(statement, limit=limit, offset=offset)

    async def all_of_organization(self, organization_id: uuid.UUID) -> Sequence[Contract]:
        return await self.list_all(select(Contract).where(Contract.organization_id == organization_id))
