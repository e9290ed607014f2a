"""Pooled PostgreSQL connections are checked on checkout without a round trip: one the server
closed is replaced before use; one idle for long is pinged first."""

from __future__ import annotations

import asyncio
from typing import Any

import asyncpg
import pytest
from infra_support import POSTGRES_URL
from sqlalchemy import event, text

from clinic_shared import db as db_module
from clinic_shared.db import Database

pytestmark = pytest.mark.postgres


@pytest.fixture
def postgres(db: Database) -> Database:
    if not db.is_postgres:
        pytest.skip("pooled connections are a PostgreSQL matter (SQLite opens a connection per session)")
    return db


async def backend_pid(database: Database) -> int:
    async with database.session() as session:
        return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


def statements_of(database: Database) -> list[str]:
    seen: list[str] = []
    event.listen(database.engine.sync_engine, "before_cursor_execute", lambda *a: seen.append(a[2]))
    return seen


async def test_a_connection_the_server_closed_is_replaced_before_the_next_session_uses_it(
    postgres: Database,
) -> None:
    old = await backend_pid(postgres)
    killer = await asyncpg.connect(POSTGRES_URL.replace("+asyncpg", ""))
    try:
        assert await killer.fetchval("SELECT pg_terminate_backend($1)", old)
    finally:
        await killer.close()
    await asyncio.sleep(0.2)  # the closed socket reaches the pooled connection
    assert await backend_pid(postgres) != old


async def test_a_recently_used_connection_is_handed_out_without_a_ping(postgres: Database) -> None:
    await backend_pid(postgres)
    seen = statements_of(postgres)
    await backend_pid(postgres)
    assert seen == ["SELECT pg_backend_pid()"]


async def test_a_connection_idle_for_long_is_pinged_before_use(
    postgres: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    pings: list[Any] = []
    dialect = postgres.engine.sync_engine.dialect
    real_ping = dialect.do_ping
    monkeypatch.setattr(dialect, "do_ping", lambda connection: pings.append(connection) or real_ping(connection))
    await backend_pid(postgres)
    monkeypatch.setattr(db_module, "IDLE_PING_SECONDS", 0.0)
    await backend_pid(postgres)
    assert len(pings) == 1
