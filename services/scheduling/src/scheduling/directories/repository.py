"""SQL of the directories: filtered lists, uniqueness and where an item is used."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from scheduling.directories.models import Doctor, doctor_specializations
from scheduling.directories.registry import DirectorySpec


class DirectoryRepository:
    """Queries over the table of one directory."""

    def __init__(self, session: AsyncSession, spec: DirectorySpec) -> None:
        self.session = session
        self.spec = spec
        self.model = spec.model

    async def get(self, item_id: uuid.UUID, *, for_update: bool = False) -> Any | None:
        """An item by id, or None (locked `for_update`)."""
        return await self.session.get(self.model, item_id, with_for_update=for_update or None)

    async def page(
        self, *, filters: dict[str, Any], active: bool | None, limit: int, offset: int
    ) -> tuple[Sequence[Any], int]:
        """One page of items matching equality filters, in the directory's order."""
        statement = select(self.model)
        for name, value in filters.items():
            if value is None:
                continue
            if name == "specialization_id" and self.model is Doctor:
                statement = statement.where(
                    Doctor.id.in_(
                        select(doctor_specializations.c.doctor_id).where(
                            doctor_specializations.c.specialization_id == value
                        )
                    )
                )
            else:
                statement = statement.where(getattr(self.model, name) == value)
        if active is not None:
            statement = statement.where(self.model.active.is_(active))
        total = (await self.session.execute(select(func.count()).select_from(statement.subquery()))).scalar_one()
        order = [getattr(self.model, name) for name in self.spec.order_by] + [self.model.id]
        rows = (await self.session.execute(statement.order_by(*order).limit(limit).offset(offset))).scalars().all()
        return rows, int(total)

    async def holder_of(self, field: str, value: Any, *, other_than: uuid.UUID | None) -> uuid.UUID | None:
        """The id of another item whose unique `field` already has `value`."""
        column = getattr(self.model, field)
        statement = select(self.model.id).where(column == value)
        if other_than is not None:
            statement = statement.where(self.model.id != other_than)
        return (await self.session.execute(statement.limit(1))).scalar_one_or_none()

    async def uses(self, item_id: uuid.UUID) -> list[str]:
        """'3 appointments', '1 schedules' … for every place the item is referenced."""
        found = []
        for column, what in self.spec.used_by():
            count = (await self.session.execute(select(func.count()).where(column == item_id))).scalar_one()
            if count:
                found.append(f"{count} {what}")
        return found


async def existing_ids(session: AsyncSession, model: type[Any], ids: list[uuid.UUID]) -> dict[uuid.UUID, Any]:
    """The items among `ids` that exist, by id."""
    if not ids:
        return {}
    rows = (await session.execute(select(model).where(model.id.in_(ids)))).scalars().all()
    return {row.id: row for row in rows}
