"""SQL of contract price lists (PRO-7)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import or_, select

from clinic_shared.repository import RepositoryBase
from profexam.prices.models import ContractPrice
from profexam.prices.rules import code_key


class PriceRepository(RepositoryBase[ContractPrice]):
    model = ContractPrice

    async def of_contract(
        self, contract_id: uuid.UUID, *, q: str | None, limit: int, offset: int
    ) -> tuple[Sequence[ContractPrice], int]:
        statement = (
            select(ContractPrice)
            .where(ContractPrice.contract_id == contract_id)
            .order_by(ContractPrice.code_key, ContractPrice.id)
        )
        if q:
            # Folded copies: SQLite's lower() does not fold Cyrillic.
            key = code_key(q)
            statement = statement.where(
                or_(
                    ContractPrice.code_key.contains(key, autoescape=True),
                    ContractPrice.name_norm.contains(key, autoescape=True),
                )
            )
        return await self.paginate(statement, limit=limit, offset=offset)

    async def find(self, contract_id: uuid.UUID, key: str) -> ContractPrice | None:
        statement = select(ContractPrice).where(ContractPrice.contract_id == contract_id, ContractPrice.code_key == key)
        return (await self.session.execute(statement)).scalar_one_or_none()

    async def prices_by_code(self, contract_id: uuid.UUID) -> dict[str, Decimal]:
        statement = select(ContractPrice.code_key, ContractPrice.price).where(ContractPrice.contract_id == contract_id)
        return {code: price for code, price in (await self.session.execute(statement)).all()}
