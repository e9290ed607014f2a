"""SQL of discount cards."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from patients.discounts.models import DiscountCard


class DiscountCardRepository(RepositoryBase[DiscountCard]):
    model = DiscountCard

    async def number_taken(self, number: str) -> bool:
        found = await self.session.execute(select(DiscountCard.id).where(DiscountCard.number == number))
        return found.first() is not None

    async def page_for_patient(
        self, patient_id: uuid.UUID, *, limit: int, offset: int
    ) -> tuple[Sequence[DiscountCard], int]:
        statement = (
            select(DiscountCard)
            .where(DiscountCard.patient_id == patient_id)
            .order_by(DiscountCard.issued_at.desc(), DiscountCard.number)
        )
        return await self.paginate(statement, limit=limit, offset=offset)
