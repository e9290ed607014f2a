"""SQL of calculations and their positions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select

from clinic_shared.repository import RepositoryBase
from profexam.calculations.models import Calculation, CalculationPosition


class CalculationRepository(RepositoryBase[Calculation]):
    model = Calculation

    async def of_exam(self, exam_id: uuid.UUID, *, limit: int, offset: int) -> tuple[Sequence[Calculation], int]:
        statement = (
            select(Calculation).where(Calculation.exam_id == exam_id).order_by(Calculation.created_at, Calculation.id)
        )
        return await self.paginate(statement, limit=limit, offset=offset)

    async def positions(self, calculation_id: uuid.UUID) -> Sequence[CalculationPosition]:
        statement = (
            select(CalculationPosition)
            .where(CalculationPosition.calculation_id == calculation_id)
            .order_by(CalculationPosition.line)
        )
        return (await self.session.execute(statement)).scalars().all()

    def add_positions(self, positions: list[CalculationPosition]) -> None:
        self.session.add_all(positions)
