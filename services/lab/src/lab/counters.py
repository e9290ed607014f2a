"""Human numbers (order numbers, barcodes) from counter rows.

`UPDATE … SET value = value + 1 RETURNING value` is atomic on both databases: PostgreSQL
row-locks the counter until the transaction ends, SQLite serialises writers.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import insert_for
from lab.models import Base


class Counter(Base):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


async def next_value(session: AsyncSession, name: str) -> int:
    """The next value of counter `name` (1, 2, 3, …), created on first use."""
    table = Counter.__table__
    increment = update(table).where(table.c.name == name).values(value=table.c.value + 1).returning(table.c.value)
    value = (await session.execute(increment)).scalar_one_or_none()
    if value is not None:
        return int(value)
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = insert_for(dialect)(table)
    # Two first users may race to create the row: the loser's insert does nothing and its
    # increment then waits for (PostgreSQL) or follows (SQLite) the winner's.
    await session.execute(insert.values(name=name, value=0).on_conflict_do_nothing())
    return int((await session.execute(increment)).scalar_one())
