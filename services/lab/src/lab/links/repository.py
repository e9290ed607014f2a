"""SQL of test-service links and the price-list cache."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import Select, delete, func, select

from clinic_shared.repository import RepositoryBase
from lab.lab_tests.models import LabTest
from lab.links.models import PriceListService, TestServiceLink

LinkRow = tuple[TestServiceLink, LabTest, PriceListService | None]


class LinkRepository(RepositoryBase[TestServiceLink]):
    model = TestServiceLink

    def _joined(self) -> Select[TestServiceLink, LabTest, PriceListService]:
        return (
            select(TestServiceLink, LabTest, PriceListService)
            .join(LabTest, LabTest.id == TestServiceLink.test_id)
            .outerjoin(PriceListService, PriceListService.service_id == TestServiceLink.service_id)
        )

    async def find(self, test_id: uuid.UUID, service_id: uuid.UUID) -> TestServiceLink | None:
        statement = select(TestServiceLink).where(
            TestServiceLink.test_id == test_id, TestServiceLink.service_id == service_id
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def of_test(self, test_id: uuid.UUID) -> Sequence[TestServiceLink]:
        return await self.list_all(select(TestServiceLink).where(TestServiceLink.test_id == test_id))

    async def search(
        self,
        *,
        test_id: uuid.UUID | None,
        service_id: uuid.UUID | None,
        lab_id: uuid.UUID | None,
        limit: int,
        offset: int,
    ) -> tuple[list[LinkRow], int]:
        statement = self._joined().order_by(LabTest.name, TestServiceLink.created_at, TestServiceLink.id)
        if test_id is not None:
            statement = statement.where(TestServiceLink.test_id == test_id)
        if service_id is not None:
            statement = statement.where(TestServiceLink.service_id == service_id)
        if lab_id is not None:
            statement = statement.where(LabTest.lab_id == lab_id)
        count = select(func.count()).select_from(statement.order_by(None).subquery())
        total = int((await self.session.execute(count)).scalar_one())
        rows = (await self.session.execute(statement.limit(limit).offset(offset))).all()
        return [(row[0], row[1], row[2]) for row in rows], total

    async def joined(self, link_id: uuid.UUID) -> LinkRow | None:
        row = (await self.session.execute(self._joined().where(TestServiceLink.id == link_id))).first()
        return (row[0], row[1], row[2]) if row else None

    async def tests_of_service(self, service_id: uuid.UUID) -> Sequence[LabTest]:
        statement = (
            select(LabTest)
            .join(TestServiceLink, TestServiceLink.test_id == LabTest.id)
            .where(TestServiceLink.service_id == service_id)
            .order_by(LabTest.name, LabTest.code)
        )
        return (await self.session.execute(statement)).scalars().all()

    async def remove(self, link_ids: list[uuid.UUID]) -> None:
        if link_ids:
            await self.session.execute(delete(TestServiceLink).where(TestServiceLink.id.in_(link_ids)))

    async def remember_service(self, service_id: uuid.UUID, code: str | None, name: str | None) -> None:
        cached = await self.session.get(PriceListService, service_id)
        if cached is None:
            self.session.add(PriceListService(service_id=service_id, code=code, name=name))
        else:
            cached.code, cached.name = code, name
        await self.session.flush()
