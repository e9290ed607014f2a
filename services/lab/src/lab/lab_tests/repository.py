"""SQL of lab tests."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select

from clinic_shared.repository import RepositoryBase
from lab.lab_tests.models import LabTest


class LabTestRepository(RepositoryBase[LabTest]):
    model = LabTest

    async def by_code(self, lab_id: uuid.UUID, code: str) -> LabTest | None:
        statement = select(LabTest).where(LabTest.lab_id == lab_id, LabTest.code == code)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def of_lab(self, lab_id: uuid.UUID) -> Sequence[LabTest]:
        return await self.list_all(select(LabTest).where(LabTest.lab_id == lab_id))

    async def by_ids(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, LabTest]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = await self.list_all(select(LabTest).where(LabTest.id.in_(wanted)))
        return {row.id: row for row in rows}

    async def search(
        self,
        *,
        words: list[str],
        lab_id: uuid.UUID | None,
        study_type: str | None,
        container_type: str | None,
        include_inactive: bool,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[LabTest], int]:
        statement = select(LabTest).order_by(LabTest.name, LabTest.code)
        for word in words:
            statement = statement.where(LabTest.search_key.contains(word, autoescape=True))
        if lab_id is not None:
            statement = statement.where(LabTest.lab_id == lab_id)
        if study_type:
            statement = statement.where(LabTest.study_type == study_type)
        if container_type:
            statement = statement.where(LabTest.container_type == container_type)
        if not include_inactive:
            statement = statement.where(LabTest.active.is_(True))
        return await self.paginate(statement, limit=limit, offset=offset)

    async def study_types(self, lab_id: uuid.UUID | None) -> list[tuple[str, int]]:
        """The study types active tests carry, with how many tests each, by name."""
        statement = (
            select(LabTest.study_type, func.count())
            .where(LabTest.active.is_(True), LabTest.study_type.is_not(None))
            .group_by(LabTest.study_type)
            .order_by(LabTest.study_type)
        )
        if lab_id is not None:
            statement = statement.where(LabTest.lab_id == lab_id)
        # study_type IS NOT NULL above: every name is a text
        return [(str(name), int(count)) for name, count in await self.session.execute(statement)]
