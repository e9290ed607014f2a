"""Human numbers (appointment numbers) from counter rows.

`UPDATE … SET value = value + 1 RETURNING value` is atomic on both databases: PostgreSQL
row-locks the counter until the transaction ends, SQLite serialises writers. Two bookings
therefore never get the same number.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from scheduling.models import Base


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
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(table)
    # Two first bookings may race to create the row: the loser's insert does nothing and its
    # increment then waits for (PostgreSQL) or follows (SQLite) the winner's.
    await session.execute(insert.values(name=name, value=0).on_conflict_do_nothing())
    return int((await session.execute(increment)).scalar_one())
