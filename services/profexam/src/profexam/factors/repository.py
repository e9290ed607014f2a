"""SQL of the harmful factor dictionary and the organisations' code mappings."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import or_, select

from clinic_shared.repository import RepositoryBase
from profexam.factors.models import FactorMapping, HarmfulFactor


class FactorRepository(RepositoryBase[HarmfulFactor]):
    model = HarmfulFactor

    async def search(
        self, *, q: str | None, section: str | None, parent_code: str | None, limit: int, offset: int
    ) -> tuple[Sequence[HarmfulFactor], int]:
        statement = select(HarmfulFactor).order_by(HarmfulFactor.position)
        if q:
            statement = statement.where(
                or_(
                    HarmfulFactor.code.startswith(q, autoescape=True),
                    HarmfulFactor.title_norm.contains(q, autoescape=True),
                )
            )
        if section:
            statement = statement.where(HarmfulFactor.section == section)
        if parent_code is not None:
            statement = statement.where(HarmfulFactor.parent_code == parent_code)
        return await self.paginate(statement, limit=limit, offset=offset)

    async def all_codes(self) -> set[str]:
        return set((await self.session.execute(select(HarmfulFactor.code))).scalars().all())

    async def by_code(self) -> dict[str, HarmfulFactor]:
        return {f.code: f for f in await self.list_all()}


class FactorMappingRepository(RepositoryBase[FactorMapping]):
    model = FactorMapping

    async def of_organization(self, organization_id: uuid.UUID) -> Sequence[FactorMapping]:
        statement = (
            select(FactorMapping)
            .where(FactorMapping.organization_id == organization_id)
            .order_by(FactorMapping.source_code)
        )
        return await self.list_all(statement)

    async def find(self, organization_id: uuid.UUID, source_code: str) -> FactorMapping | None:
        statement = select(FactorMapping).where(
            FactorMapping.organization_id == organization_id, FactorMapping.source_code == source_code
        )
        return (await self.session.execute(statement)).scalar_one_or_none()
