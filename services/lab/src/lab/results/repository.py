"""SQL of results."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from lab.results.models import LabResult


class ResultRepository(RepositoryBase[LabResult]):
    model = LabResult

    async def by_order_test(self, order_id: uuid.UUID) -> dict[uuid.UUID, LabResult]:
        rows = await self.list_all(select(LabResult).where(LabResult.order_id == order_id))
        return {row.order_test_id: row for row in rows}
