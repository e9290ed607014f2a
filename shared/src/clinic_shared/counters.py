"""Human numbers (card, appointment, order numbers, barcodes) from a service's counter rows.

A service keeps a `counters` table (name → last value) and wraps it in `Counters`.
`UPDATE … SET value = value + n RETURNING value` is atomic on both databases: PostgreSQL
row-locks the counter until the transaction ends, SQLite serialises writers. Two requests
therefore never get the same number.

A hot counter on PostgreSQL may instead be backed by a sequence of its own (`<name>_seq`,
made by the service's migration; list it in `sequences`): `nextval` never blocks, so
concurrent writers are not serialised on one row lock (gaps after rollbacks are accepted).
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, update
from sqlalchemy.ext.asyncio import AsyncSession

from clinic_shared.db import driver_connection, insert_for


class Counters:
    """Named counters over one `counters` table (columns `name`, `value`)."""

    def __init__(self, table: Table, *, sequences: Iterable[str] = ()) -> None:
        self.table = table
        self.sequences = frozenset(sequences)

    async def next_value(self, session: AsyncSession, name: str) -> int:
        """The next value of counter `name` (1, 2, 3, …), created on first use."""
        if name in self.sequences and (driver := await driver_connection(session)) is not None:
            return int(await driver.fetchval(f"SELECT nextval('{name}_seq')"))
        return (await self.allocate(session, name, 1))[0]

    async def allocate(self, session: AsyncSession, name: str, count: int) -> range:
        """`count` consecutive values of counter `name` in one atomic step, created on first use.

        The counter row stays locked until the transaction ends, so `count=0` just takes the lock:
        whoever holds it is the only one adding numbered rows (a batch matches, then creates).
        """
        if count < 0:
            raise ValueError("count must not be negative")
        table = self.table
        increment = (
            update(table).where(table.c.name == name).values(value=table.c.value + count).returning(table.c.value)
        )
        value = (await session.execute(increment)).scalar_one_or_none()
        if value is None:
            # Two first users may race to create the row: the loser's insert does nothing and its
            # increment then waits for (PostgreSQL) or follows (SQLite) the winner's.
            insert = insert_for(_dialect(session))(table)
            await session.execute(insert.values(name=name, value=0).on_conflict_do_nothing())
            value = (await session.execute(increment)).scalar_one()
        last = int(value)
        return range(last - count + 1, last + 1)


def _dialect(session: AsyncSession) -> str:
    return session.bind.dialect.name if session.bind else "sqlite"
