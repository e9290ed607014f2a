"""Human numbers (card numbers, discount-card numbers) from counter rows.

`UPDATE … SET value = value + n RETURNING value` is atomic on both databases: PostgreSQL
row-locks the counter until the transaction ends, SQLite serialises writers. Two requests
therefore never get the same number, and a rolled-back request leaves no gap-filling race.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import insert_for
from patients.models import Base


class Counter(Base):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


async def next_value(session: AsyncSession, name: str) -> int:
    """The next value of counter `name` (1, 2, 3, …), created on first use."""
    return (await allocate(session, name, 1))[0]


async def allocate(session: AsyncSession, name: str, count: int) -> range:
    """`count` consecutive values of counter `name` in one atomic step, created on first use.

    The counter row stays locked until the transaction ends, so `count=0` just takes the lock:
    whoever holds it is the only one adding numbered rows (a batch matches, then creates).
    """
    if count < 0:
        raise ValueError("count must not be negative")
    table = Counter.__table__
    increment = update(table).where(table.c.name == name).values(value=table.c.value + count).returning(table.c.value)
    value = (await session.execute(increment)).scalar_one_or_none()
    if value is None:
        dialect = session.bind.dialect.name if session.bind else "sqlite"
        insert = insert_for(dialect)(table)
        # Two first users may race to create the row: the loser's insert does nothing and its
        # increment then waits for (PostgreSQL) or follows (SQLite) the winner's.
        await session.execute(insert.values(name=name, value=0).on_conflict_do_nothing())
        value = (await session.execute(increment)).scalar_one()
    last = int(value)
    return range(last - count + 1, last + 1)
