"""SQL of the order journal."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from lab.history.models import OrderHistoryEntry


class HistoryRepository(RepositoryBase[OrderHistoryEntry]):
    model = OrderHistoryEntry

    async def of_order(
        self, order_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[Sequence[OrderHistoryEntry], int]:
        statement = (
            select(OrderHistoryEntry)
            .where(OrderHistoryEntry.order_id == order_id)
            .order_by(OrderHistoryEntry.at, OrderHistoryEntry.id)
        )
        return await self.paginate(statement, limit=limit, offset=offset)
