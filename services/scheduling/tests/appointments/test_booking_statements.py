"""How many SQL statements a booking costs (#18 item 6): the request's reads of what it names
(doctor, cabinet, services, status, kind, record type, source) come in one round trip, not one
each. The count is of the scheduling service's own statements, the booking's transaction whole
(journal, outbox and idempotency included); the outbox relay's work after the commit is not."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import event

pytestmark = pytest.mark.asyncio(loop_scope="module")


@contextlib.contextmanager
def counted_statements(build: Any) -> Iterator[list[str]]:
    """The statements the scheduling service sends while the block runs (its relay paused)."""
    runtime = build.platform.app.state.embedded_apps["scheduling"].state.runtime
    engine = runtime.db.engine.sync_engine
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        verb = statement.lstrip().split(None, 1)[0].upper()
        if verb in ("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE"):
            return  # transaction control: SQLite sends it as statements, asyncpg does not
        if "outbox" in statement and verb in ("SELECT", "UPDATE", "DELETE"):
            return  # the relay's claim and publish, woken by the commit: not the request's
        seen.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def reads_of(statements: list[str], table: str) -> int:
    return sum(1 for statement in statements if statement.startswith("SELECT") and f" FROM {table} " in f"{statement} ")


async def test_a_booking_reads_each_directory_it_names_once(build: Any) -> None:
    day = build.day(1)
    doctor = await build.working_doctor(day)
    services = [await build.service(), await build.service()]
    status = await build.status()
    await build.book(doctor["id"], day, "09:00", 30)  # the number counter exists from here on

    with counted_statements(build) as statements:
        await build.book(
            doctor["id"],
            day,
            "10:00",
            30,
            services=[{"service_id": s["id"]} for s in services],
            status_id=status["id"],
        )

    # Checked, then named in the journal and the event: each read once (it was two services'
    # reads plus a second doctor, services and status read for the journal).
    assert reads_of(statements, "doctors") == 1, statements
    assert reads_of(statements, "services") == 1, statements
    assert reads_of(statements, "appointment_statuses") == 1, statements
    # settings, doctor, services, status, schedule, overlap, number, the appointment, its lines,
    # its status and status history, journal, outbox: 13 at most (PostgreSQL sends some of the
    # writes straight through asyncpg, which this count does not see).
    assert len(statements) <= 13, statements
