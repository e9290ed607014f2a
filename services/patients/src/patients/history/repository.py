"""SQL of the card journal."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert, select

from clinic_shared.db import table_of
from clinic_shared.repository import RepositoryBase
from patients.history.models import CardHistoryEntry


class CardHistoryRepository(RepositoryBase[CardHistoryEntry]):
    model = CardHistoryEntry

    async def add_many(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            await self.session.execute(insert(table_of(CardHistoryEntry)), rows)

    async def page_for_card(
        self, card_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[Sequence[CardHistoryEntry], int]:
        statement = (
            select(CardHistoryEntry).where(CardHistoryEntry.card_id == card_id).order_by(CardHistoryEntry.version)
        )
        return await self.paginate(statement, limit=limit, offset=offset)
