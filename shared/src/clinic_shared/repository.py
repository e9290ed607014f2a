"""Repository base: the only place a domain folder writes SQL."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import DeclarativeBase

M = TypeVar("M", bound=DeclarativeBase)


class RepositoryBase(Generic[M]):
    """Common queries over one model; subclasses add the domain's own."""

    model: type[M]

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, id_: uuid.UUID, *, for_update: bool = False) -> M | None:
        if for_update:
            statement = select(self.model).where(self.model.id == id_).with_for_update()  # type: ignore[attr-defined]  # every model of a repository has an id column; the generic bound cannot say so
            return (await self.session.execute(statement)).scalar_one_or_none()
        return await self.session.get(self.model, id_)

    async def add(self, entity: M, *, flush: bool = True) -> M:
        self.session.add(entity)
        if flush:
            await self.session.flush()
        return entity

    async def delete(self, entity: M) -> None:
        await self.session.delete(entity)
        await self.session.flush()

    async def paginate(self, statement: Select[Any], *, limit: int, offset: int) -> tuple[Sequence[M], int]:
        """One page of `statement` plus the total count of rows it matches."""
        count_statement = select(func.count()).select_from(statement.order_by(None).subquery())
        total = (await self.session.execute(count_statement)).scalar_one()
        rows = (await self.session.execute(statement.limit(limit).offset(offset))).scalars().all()
        return rows, int(total)

    async def list_all(self, statement: Select[Any] | None = None) -> Sequence[M]:
        statement = statement if statement is not None else select(self.model)
        rows: Sequence[M] = (await self.session.execute(statement)).scalars().all()
        return rows
