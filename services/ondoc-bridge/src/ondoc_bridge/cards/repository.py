"""SQL of the card copies."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from clinic_shared.db import table_of
from clinic_shared.outbox import upsert_if_newer
from clinic_shared.repository import RepositoryBase
from ondoc_bridge.cards.models import CardCopy


class CardRepository(RepositoryBase[CardCopy]):
    model = CardCopy

    async def upsert_if_newer(self, values: dict[str, object]) -> bool:
        """Store a card state unless we hold the same or a newer version."""
        return await upsert_if_newer(self.session, table_of(CardCopy), values)

    async def card_numbers(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, str]:
        """Card numbers by card id."""
        if not ids:
            return {}
        rows = await self.session.execute(select(CardCopy.id, CardCopy.card_number).where(CardCopy.id.in_(ids)))
        return {row.id: row.card_number for row in rows}
