"""SQL of external labs."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from lab.labs.models import ExternalLab


class LabRepository(RepositoryBase[ExternalLab]):
    model = ExternalLab

    async def by_code(self, code: str) -> ExternalLab | None:
        return (await self.session.execute(select(ExternalLab).where(ExternalLab.code == code))).scalar_one_or_none()

    async def search(self, *, include_inactive: bool, limit: int, offset: int) -> tuple[Sequence[ExternalLab], int]:
        statement = select(ExternalLab).order_by(ExternalLab.name, ExternalLab.code)
        if not include_inactive:
            statement = statement.where(ExternalLab.active.is_(True))
        return await self.paginate(statement, limit=limit, offset=offset)
