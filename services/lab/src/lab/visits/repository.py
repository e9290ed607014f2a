"""SQL of visits."""

from __future__ import annotations

import uuid

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from lab.orders.models import LabOrder
from lab.visits.models import LabVisit
from lab.visits.rules import VisitOrder


class VisitRepository(RepositoryBase[LabVisit]):
    model = LabVisit

    async def by_key(self, key: str) -> LabVisit | None:
        statement = select(LabVisit).where(LabVisit.key == key)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def lock(self, visit_id: uuid.UUID) -> LabVisit | None:
        """The visit, locked until the transaction ends (`FOR UPDATE`; SQLite serialises writers),
        with its values as committed now (not as this session last saw them)."""
        statement = (
            select(LabVisit).where(LabVisit.id == visit_id).with_for_update().execution_options(populate_existing=True)
        )
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def orders(self, visit_id: uuid.UUID) -> list[VisitOrder]:
        """The visit's orders, read from the database (columns, not cached objects), by number."""
        statement = (
            select(LabOrder.id, LabOrder.number, LabOrder.lab_id, LabOrder.status)
            .where(LabOrder.visit_id == visit_id)
            .order_by(LabOrder.number)
        )
        rows = (await self.session.execute(statement)).all()
        return [VisitOrder(id=row.id, number=row.number, lab_id=row.lab_id, status=row.status) for row in rows]
