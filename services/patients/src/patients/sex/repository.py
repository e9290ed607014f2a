"""SQL of the sex-by-patronymic dictionary."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from patients.sex.models import SexEnding


class SexEndingRepository(RepositoryBase[SexEnding]):
    model = SexEnding

    async def list_ordered(self) -> Sequence[SexEnding]:
        return await self.list_all(select(SexEnding).order_by(SexEnding.ending))

    async def get_by_ending(self, ending: str) -> SexEnding | None:
        return (await self.session.execute(select(SexEnding).where(SexEnding.ending == ending))).scalar_one_or_none()

    async def as_mapping(self) -> dict[str, str]:
        rows = await self.session.execute(select(SexEnding.ending, SexEnding.sex))
        return {ending: sex for ending, sex in rows.all()}
