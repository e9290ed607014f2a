"""Human numbers (appointment numbers).

On PostgreSQL a counter with a sequence of its own (`<name>_seq`, made by a migration) uses
it: `nextval` never blocks, so concurrent bookings are not serialised on one row lock.
Otherwise `UPDATE … SET value = value + 1 RETURNING value` on a counter row is atomic: SQLite
serialises writers. Two bookings never get the same number.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, String, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from clinic_shared.db import insert_for
from scheduling.models import Base


class Counter(Base):
    __tablename__ = "counters"

    name: Mapped[str] = mapped_column(String(50), primary_key=True)
    value: Mapped[int] = mapped_column(BigInteger, default=0)


# Counters backed by a PostgreSQL sequence (see the migration "appointment_number_sequence").
SEQUENCES = frozenset({"appointment_number"})


async def next_value(session: AsyncSession, name: str) -> int:
    """The next value of counter `name` (1, 2, 3, …), created on first use."""
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    if dialect == "postgresql" and name in SEQUENCES:
        return int((await session.execute(text(f"SELECT nextval('{name}_seq')"))).scalar_one())
    table = Counter.__table__
    increment = update(table).where(table.c.name == name).values(value=table.c.value + 1).returning(table.c.value)
    value = (await session.execute(increment)).scalar_one_or_none()
    if value is not None:
        return int(value)
    insert = insert_for(dialect)(table)
    # Two first bookings may race to create the row: the loser's insert does nothing and its
    # increment then waits for (PostgreSQL) or follows (SQLite) the winner's.
    await session.execute(insert.values(name=name, value=0).on_conflict_do_nothing())
    return int((await session.execute(increment)).scalar_one())
